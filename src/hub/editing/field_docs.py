"""Japanese names and short explanations of front-matter keys, for editors.

The schemas say what a key holds; this table says what to call it in Japanese. A model
may say it itself (`Field(title="会場", description="...")`), which wins; then an entry
for the collection's key or the nested path; then the label of the key's vocabulary;
then an entry for the key alone; then the key itself. A new collection is usable at
once and can be named properly later.

A key whose type is a plain string checked against a fixed table (an event's `status`),
or a `Literal` whose ids say nothing in Japanese (a cafe's `reservation`), names that
table here as `options`, so that every editing aid lists the ids the check accepts with
their labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hub.collections.cafes.schema import RESERVATION_LABELS
from hub.collections.events.schema import STATUS_LABELS


@dataclass(frozen=True)
class KeyDoc:
    label: str
    help: str = ""
    long_text: bool = False  # several lines of plain text (a summary), not one short line
    options: Mapping[str, str] | None = None  # id -> Japanese label of the values the check accepts


# Keys by their dotted path in a collection ("cases.date"), by dotted path ("venue.name"), or by the key alone.
KEY_DOCS: dict[str, KeyDoc] = {
    "title": KeyDoc("タイトル", "ページの見出しになります"),
    "summary": KeyDoc("要約", "一覧・フィード・メールに出る 1〜2 文（60〜120 字が目安）", long_text=True),
    "draft": KeyDoc("下書き", "オンにすると、どこにも公開されません"),
    "cases.date": KeyDoc("公開日", "YYYY-MM-DD"),
    "date": KeyDoc("日付", "YYYY-MM-DD"),
    "updated": KeyDoc("更新日", "内容を更新した日。YYYY-MM-DD"),
    "themes": KeyDoc("テーマ", "1 つ以上選びます"),
    "sectors": KeyDoc("主体", "協働した主体の種類。1 つ以上選びます"),
    "wards": KeyDoc("区", "1 つ以上選びます"),
    "sdgs": KeyDoc("SDGs", "関係する目標。1 つ以上選びます"),
    "status": KeyDoc("状況"),
    "period": KeyDoc("取り組みの期間", "end は続いていれば空のままにします"),
    "start": KeyDoc("開始", "日本時間で書きます"),
    "end": KeyDoc("終了", "日本時間で書きます"),
    "period.start": KeyDoc("開始日", "YYYY-MM-DD"),
    "period.end": KeyDoc("終了日", "YYYY-MM-DD。続いていれば書きません"),
    "partners": KeyDoc("協働した団体"),
    "name": KeyDoc("名前"),
    "url": KeyDoc("URL", "https:// から始まる完全な URL"),
    "image": KeyDoc("画像"),
    "image.src": KeyDoc("画像ファイル", "例: assets/images/cases/example.jpg"),
    "image.alt": KeyDoc("代替テキスト", "画像を見られない人のための、写っている内容の説明（必須）"),
    "links": KeyDoc("関連リンク"),
    "links.title": KeyDoc("リンクの文字"),
    "series": KeyDoc("シリーズ"),
    "category": KeyDoc("種類"),
    "venue": KeyDoc("会場", "会場かオンラインの少なくとも一方を書きます"),
    "address": KeyDoc("住所"),
    "access": KeyDoc("交通", "最寄り駅からの道順など"),
    "ward": KeyDoc("区"),
    "online": KeyDoc("オンライン", "会場かオンラインの少なくとも一方を書きます"),
    "platform": KeyDoc("配信方法", "例: Zoom、YouTube ライブ"),
    "note": KeyDoc("備考", long_text=True),
    "registration": KeyDoc("申込"),
    "events.announced": KeyDoc("告知日", "新着としてフィードとニュースレターに載せる日。"
                               "書かなければ開始の 6 週間前（申込締切がそれより前なら締切日）"),
    "how": KeyDoc("申込方法", long_text=True),
    "deadline": KeyDoc("締切", "日付だけなら、その日の 23:59 が締切です"),
    "capacity": KeyDoc("定員", "人数"),
    "fee": KeyDoc("参加費（円）", "無料なら 0"),
    "fee_note": KeyDoc("参加費の補足"),
    "childcare": KeyDoc("託児"),
    "ages": KeyDoc("対象年齢"),
    "accessibility": KeyDoc("配慮・サポート", "手話通訳、車いす席など。1 行に 1 つ"),
    "organizer": KeyDoc("主催"),
    "co_organizers": KeyDoc("共催"),
    "affiliations": KeyDoc("所属団体", "センターの登録団体は group: で選び、そうでなければ name: に名前を書きます"),
    "group": KeyDoc("登録団体", "content/groups/ の団体のファイル名。名前とページは団体の記事から表示します"),
    "events.status": KeyDoc("開催状況", "書かなければ scheduled（予定どおり開催）", options=STATUS_LABELS),
    "events.sessions.status": KeyDoc("この回の開催状況", "書かなければイベント全体の開催状況", options=STATUS_LABELS),
    "cafes.reservation": KeyDoc("予約", options=RESERVATION_LABELS),
    "status_note": KeyDoc("開催状況の補足"),
    "sessions": KeyDoc("各回", "連続講座の回ごとの日時"),
    "kana": KeyDoc("ふりがな", "ひらがなで書きます"),
    "categories": KeyDoc("分野"),
}


def describe(collection: str, path: tuple[str, ...], title: str | None, description: str | None,
             vocabulary_label: str | None) -> tuple[str, str, bool]:
    """(label, help, long_text) for a key: the model's own words, then the table, then fallbacks."""
    label, help_text, long_text, _ = _described(collection, path, title, description, vocabulary_label)
    return label, help_text, long_text


def options_of(collection: str, path: tuple[str, ...]) -> Mapping[str, str] | None:
    """The table of ids and labels a key's check accepts, when this module names one."""
    return _described(collection, path, None, None, None)[3]


def _described(collection: str, path: tuple[str, ...], title: str | None, description: str | None,
               vocabulary_label: str | None) -> tuple[str, str, bool, Mapping[str, str] | None]:
    dotted = ".".join(path)
    exact = KEY_DOCS.get(f"{collection}.{dotted}") or (KEY_DOCS.get(dotted) if len(path) > 1 else None)
    by_key = KEY_DOCS.get(path[-1])
    label = title or (exact and exact.label) or vocabulary_label or (by_key and by_key.label) or path[-1]
    doc = exact or by_key
    help_text = description or (doc.help if doc else "")
    return label, help_text, bool(doc and doc.long_text), exact.options if exact else None
