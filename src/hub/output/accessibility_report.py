"""/accessibility/results/: the accessibility test results, rendered from data/accessibility-report.json.

Japanese public bodies publish, beside their accessibility policy (JIS X 8341-3:2016), the
results of their tests: when, with which tools, on which pages, and for each success
criterion whether it is met. The figures here are never typed: `scripts/accessibility-report`
writes the file from a real run of axe-core and the Nu HTML Checker over the built site,
and tests/test_trust.py fails when the committed file differs from what the test run
measures, so a stale or edited report cannot be published.

Automated tools decide only part of the criteria, and a criterion they find no fault with
is not thereby met: the page says which criteria the tools checked, and claims
「不適合」 only where they found a fault, never 「適合」.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from hub.core.content import Site
from hub.core.fields import HubModel
from hub.core.outputs import PageSpec
from hub.core.problems import ContentError, Problem
from hub.output.formatting import japanese_date

REPORT_FILE = "data/accessibility-report.json"
RESULTS_PAGE = "accessibility/results/index.md"
TITLE = "ウェブアクセシビリティ試験結果"


@dataclass(frozen=True)
class Criterion:
    number: str
    title: str
    level: str


# JIS X 8341-3:2016 (WCAG 2.0), levels A and AA: what the results table lists, in order.
CRITERIA = tuple(Criterion(*row) for row in (
    ("1.1.1", "非テキストコンテンツ", "A"),
    ("1.2.1", "音声のみ及び映像のみ（収録済み）", "A"),
    ("1.2.2", "キャプション（収録済み）", "A"),
    ("1.2.3", "音声解説、又はメディアに対する代替（収録済み）", "A"),
    ("1.2.4", "キャプション（ライブ）", "AA"),
    ("1.2.5", "音声解説（収録済み）", "AA"),
    ("1.3.1", "情報及び関係性", "A"),
    ("1.3.2", "意味のある順序", "A"),
    ("1.3.3", "感覚的な特徴", "A"),
    ("1.4.1", "色の使用", "A"),
    ("1.4.2", "音声の制御", "A"),
    ("1.4.3", "コントラスト（最低限レベル）", "AA"),
    ("1.4.4", "テキストのサイズ変更", "AA"),
    ("1.4.5", "文字画像", "AA"),
    ("2.1.1", "キーボード", "A"),
    ("2.1.2", "キーボードトラップなし", "A"),
    ("2.2.1", "タイミング調整可能", "A"),
    ("2.2.2", "一時停止、停止、非表示", "A"),
    ("2.3.1", "3回のせん光、又はしきい値以下", "A"),
    ("2.4.1", "ブロックスキップ", "A"),
    ("2.4.2", "ページタイトル", "A"),
    ("2.4.3", "フォーカス順序", "A"),
    ("2.4.4", "リンクの目的（コンテキスト内）", "A"),
    ("2.4.5", "複数の手段", "AA"),
    ("2.4.6", "見出し及びラベル", "AA"),
    ("2.4.7", "フォーカスの可視化", "AA"),
    ("3.1.1", "ページの言語", "A"),
    ("3.1.2", "一部分の言語", "AA"),
    ("3.2.1", "フォーカス時", "A"),
    ("3.2.2", "入力時", "A"),
    ("3.2.3", "一貫したナビゲーション", "AA"),
    ("3.2.4", "一貫した識別性", "AA"),
    ("3.3.1", "エラーの特定", "A"),
    ("3.3.2", "ラベル又は説明", "A"),
    ("3.3.3", "エラー修正の提案", "AA"),
    ("3.3.4", "エラー回避（法的、金融、データ）", "AA"),
    ("4.1.1", "構文解析", "A"),
    ("4.1.2", "名前（name）・役割（role）及び値（value）", "A"),
))
CRITERION_NUMBERS = frozenset(criterion.number for criterion in CRITERIA)


class Combination(HubModel):
    """One way a page was shown: window size, colour scheme and the site's text size."""

    key: str
    width: int
    height: int
    scheme: str  # light | dark
    text_size: str  # "" (標準), large, larger


class PageResult(HubModel):
    template: str  # which kind of page (one page of each template is tested)
    path: str  # under the site's root, as in the sitemap
    title: str  # the page's <title>, as the browser read it
    axe: dict[str, int]  # combination key → the axe-core rules the page violates
    vnu: int  # the Nu HTML Checker's errors


class CriterionResult(HubModel):
    number: str
    checks: list[str]  # the tools' checks of this criterion: axe-core rule ids, "vnu"
    failures: int  # violations and errors found by those checks, over every page and combination


class Tools(HubModel):
    axe_core: str
    vnu: str


class AccessibilityReport(HubModel):
    date: date
    tools: Tools
    combinations: list[Combination]
    pages: list[PageResult]
    criteria: list[CriterionResult]


@dataclass(frozen=True)
class CriterionRow:
    """One line of the results table: the criterion and what the tools said of it."""

    criterion: Criterion
    checks: tuple[str, ...]
    failures: int

    @property
    def verdict(self) -> str:
        if not self.checks:
            return "自動試験の対象外"
        return f"不適合（{self.failures} 件）" if self.failures else "自動試験では問題なし"


def read_report(site: Site) -> AccessibilityReport | None:
    """The committed report, or None when the project has none (the page is then not made)."""
    path = site.settings.root / REPORT_FILE
    if not path.is_file():
        return None
    try:
        return AccessibilityReport.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise ContentError([Problem(REPORT_FILE, 1, ".".join(map(str, issue["loc"])) or "report",
                                    f"試験結果のファイルを読めません（{issue['msg']}）",
                                    "scripts/accessibility-report で作り直してください")
                            for issue in error.errors()]) from None


def criterion_rows(report: AccessibilityReport) -> list[CriterionRow]:
    found = {result.number: result for result in report.criteria}
    rows = []
    for criterion in CRITERIA:
        result = found.get(criterion.number)
        rows.append(CriterionRow(criterion, tuple(result.checks) if result else (), result.failures if result else 0))
    return rows


def accessibility_results(site: Site) -> Iterator[PageSpec]:
    """The site-wide generator: the results page, when the project has a report."""
    report = read_report(site)
    if report is None:
        return
    rows = criterion_rows(report)
    checked = sum(1 for row in rows if row.checks)
    description = (f"{japanese_date(report.date)}に行った自動試験の結果（{len(report.pages)} ページ、"
                   f"JIS X 8341-3:2016 の達成基準 {len(rows)} 項目のうちツールで確かめられる {checked} 項目）")
    yield PageSpec(RESULTS_PAGE, TITLE, "hub/accessibility-results.html",
                   {"report": report, "criteria": rows, "checked": checked, "site_name": site.settings.site_name},
                   description=description)
