"""The search engine without a browser: normalisation, visible text, blocks and the index files,
and the JavaScript reader (search-core.js, run under Node) against the Python writer."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import jaconv
import pytest

from hub.search import index
from hub.search.index import (
    BLOCK_CHARS,
    OVERLAP,
    Document,
    SearchOptions,
    bigrams,
    build_index,
    normalize,
    shard_of,
    split_blocks,
    visible_text,
)

REPO = Path(__file__).resolve().parents[1]
CORE_JS = REPO / "src" / "hub" / "assets" / "javascripts" / "search-core.js"


@pytest.mark.parametrize(("typed", "written"), [
    ("ＮＰＯ法人", "NPO法人"),            # full-width letters
    ("ｶﾌｪ", "カフェ"),                    # half-width katakana
    ("ｷｬﾗﾊﾞﾝ･ﾒｲﾄ", "キャラバン・メイト"),  # half-width voiced marks and middle dot
    ("キャラバンメイト", "キャラバン・メイト"),
    ("NPO 法人", "NPO法人"),
    ("NPO　法人", "NPO法人"),              # ideographic space
    ("sdgs", "SDGs"),
    ("コーディネータ", "コーディネーター"),  # the long vowel that ends a word
    ("コーディネ－タ", "コーディネーター"),  # a dash typed for the long vowel
    ("コーディネーター養成", "コーディネータ養成"),
    ("かふぇ", "カフェ"),                  # hiragana for katakana
])
def test_variants_normalise_alike(typed: str, written: str) -> None:
    assert normalize(typed) == normalize(written)


@pytest.mark.parametrize(("one", "other"), [
    ("ビール", "ビル"),        # a long vowel inside a word is kept
    ("西区", "西 区 x"),
    ("カフェ", "力フェ"),      # 力 (kanji) is not カ
])
def test_different_words_stay_different(one: str, other: str) -> None:
    assert normalize(one) != normalize(other)


def test_kana_folding_is_an_option() -> None:
    assert normalize("かふぇ", fold_kana=False) != normalize("カフェ", fold_kana=False)
    assert normalize("ｶﾌｪ", fold_kana=False) == normalize("カフェ", fold_kana=False)
    assert SearchOptions.from_mapping({"fold_kana": False}).fold_kana is False
    assert SearchOptions.from_mapping(None).fold_kana is True


def test_kana_folding_maps_every_kana_as_jaconv_does() -> None:
    """The index folds with a translation table; jaconv (the reference, also used for collation)
    and search-core.js must agree on every character of the kana blocks and half-width forms."""
    every = "".join(map(chr, range(0x3040, 0x3100))) + "".join(map(chr, range(0xFF61, 0xFFA0)))
    for char in every:
        folded = normalize(char)
        assert folded == jaconv.kata2hira(normalize(char, fold_kana=False)), (char, folded)


PAGE = """<html><body><nav class="md-nav">メニュー</nav>
<article class="md-content__inner md-typeset">
  <nav class="hub-breadcrumb"><a href="/">ホーム</a></nav>
  <h1>見出し<a class="headerlink" href="#x" title="この見出しへのリンク">¶</a></h1>
  <p>本文の<strong>強調</strong>と&amp;記号</p><p hidden>隠れた段落</p>
  <form><select><option>選択肢</option></select><button>送信</button></form>
  <script>var secret = 1;</script><!-- コメント -->
  <ul><li>一つ目</li><li>二つ目</li></ul>
  <article class="hub-card"><h2>入れ子の記事</h2></article>後ろの文
</article>
<footer>フッター</footer></body></html>"""


def test_visible_text_is_the_content_area_without_navigation_forms_or_hidden_parts() -> None:
    text = visible_text(PAGE, "md-content__inner")
    assert text == "見出し 本文の強調と&記号 一つ目 二つ目 入れ子の記事 後ろの文"


def test_visible_text_of_a_page_without_the_content_area_is_empty() -> None:
    assert visible_text("<p class='md-content__inner-x'>よそ</p>", "md-content__inner") == ""
    assert visible_text("", "md-content__inner") == ""


def test_visible_text_reads_tags_in_any_case_and_every_way_of_hiding() -> None:
    page = ("<div class='md-content'><P>大文字<BR>の段落</P><DIV>次</DIV><Script>x = 1</Script>"
            "<p>a<span hidden>隠し</span>b<a class='x\theaderlink' href='#'>¶</a>c</p>"
            "<p class='a headerlink'>消える</p><p class='headerlink\u00a0x'>残る</p><NAV>ナビ</NAV>末尾</div>")
    assert visible_text(page, "md-content") == "大文字 の段落 次 abc 残る 末尾"


def test_lower_case_tags_take_the_quick_boundary_only_where_it_marks_the_same_places() -> None:
    """Tag names in lower-case ASCII mark block edges with the case-sensitive pattern; anything
    else a case-insensitive match could read as a block tag (ſ for s, K for k, capitals) does not."""
    rng = random.Random(5)
    pieces = ["<p>", "</p>", "<P>", "<dIv>", "<ſection>", "<bloc\u212aquote>", "<br/>", "<h2 id=x>", "< p>",
              "<!-- c -->", "<li\u3000>", "<span>", "</TD>", "<a href=#>", "テキスト", " ", "<", ">", "/"]
    for _ in range(3000):
        region = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if index._OTHER_TAG_NAME.search(region) is None:
            assert index._LOWER_CASE_BLOCK_BOUNDARY.sub("\n<", region) == index._BLOCK_BOUNDARY.sub("\n<", region)


def test_nfkc_with_wide_ascii_mapped_first_is_unicodedata_nfkc_for_every_character() -> None:
    for code in range(0x110000):
        if not 0xD800 <= code < 0xE000:
            text = f"Ａ{chr(code)}ａ\u3000"
            assert index._nfkc(text) == unicodedata.normalize("NFKC", text), hex(code)


def test_blocks_overlap_so_that_every_short_match_lies_inside_one() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice("地域協働カフェｶﾞ\u3099ab ") for _ in range(BLOCK_CHARS * 3 + 123))
    blocks = split_blocks(text)
    assert len(blocks) == 4
    assert all(len(block) <= BLOCK_CHARS + OVERLAP for block in blocks)
    for start in range(0, len(text) - OVERLAP, 17):
        window = text[start:start + OVERLAP]
        assert any(window in block for block in blocks), start
    assert not any(block[:1] == "\u3099" for block in blocks[1:]), "a mark is never cut from its character"


def _decode(entries: list[int]) -> dict[int, tuple[int, bool]]:
    """Reads a posting list the way search-core.js does."""
    result, block = {}, 0
    for delta, value in zip(entries[0::2], entries[1::2]):
        block += delta
        result[block] = (value >> 1, bool(value & 1))
    return result


DOCUMENTS = [
    Document("cases/a/", "認知症カフェの輪", "認知症カフェの輪 戸塚区の認知症カフェが連携しました。"),
    Document("cases/b/", "キャラバン・メイト", "キャラバン・メイトの活動をアプリで。NPO法人と協働。"),
    Document("", "ホーム", "センターのホームページです。コミュニティカフェもあります。"),
    Document("cases/c/", "長い記録", "前置き。" + "地域の記録を残す。" * 600 + "最後にカフェ。"),
]


def test_index_lists_every_block_holding_each_bigram_with_its_frequency() -> None:
    files = build_index(DOCUMENTS)
    manifest = json.loads(files["search/manifest.json"])
    blocks = [json.loads(files[f"search/t/{n}.json"]) for n in range(sum(manifest["blocks"]))]
    assert [block["url"] for block in blocks[:3]] == ["", "cases/a/", "cases/b/"], "pages in URL order"
    assert manifest["blocks"][3] > 1, "a long page is split"
    for key in ("カフ", "認知", "npo", "の記"):
        shard = json.loads(files[f"search/b/{shard_of(key[:2], manifest['bigram_shards'])}.json"])
        postings = _decode(shard[normalize(key)[:2]])
        for number, block in enumerate(blocks):
            count = bigrams(normalize(block["text"])).count(normalize(key)[:2])
            assert postings.get(number, (0, False))[0] == count, (key, number)
    title_flags = _decode(json.loads(files[f"search/b/{shard_of('かふ', manifest['bigram_shards'])}.json"])["かふ"])
    assert title_flags[1][1] is True and title_flags[0][1] is False


HOSTILE_CHARACTERS = [*"あいうカキクヴヽヾー－・ 　ABc1\u3099\u0301𠮷😀ﾊﾞｶﾟ\u200b\n<>&\"'", "🇯🇵", "ｷｬﾗﾊﾞﾝ･ﾒｲﾄ", "\U0010fffd"]


@pytest.mark.parametrize("fold_kana", [True, False])
def test_every_posting_list_is_what_counting_each_block_gives(fold_kana: bool) -> None:
    """Against a plain count of every block's bigrams and characters, for text made of what
    breaks indexers: characters beyond U+FFFF, combining and half-width marks, invisible ones,
    katakana to fold, markup characters; titles that share keys with the text."""
    choose = random.Random(11).choice
    documents = [Document(f"p/{number}/", "".join(choose(HOSTILE_CHARACTERS) for _ in range(number % 9)),
                          "".join(choose(HOSTILE_CHARACTERS) for _ in range(number * 97 % 4500)))
                 for number in range(60)]
    files = build_index(documents, fold_kana)
    manifest = json.loads(files["search/manifest.json"])
    blocks = [json.loads(files[f"search/t/{n}.json"]) for n in range(sum(manifest["blocks"]))]
    expected: dict[tuple[str, str], dict[int, tuple[int, bool]]] = {}
    for number, block in enumerate(blocks):
        text, title = normalize(block["text"], fold_kana), normalize(block["title"], fold_kana)
        for folder, keys, title_keys in (("b", bigrams(text), set(bigrams(title))), ("u", list(text), set(title))):
            for key in set(keys):
                expected.setdefault((folder, key), {})[number] = (keys.count(key), key in title_keys)
    found = {}
    for folder, shards in (("b", manifest["bigram_shards"]), ("u", manifest["char_shards"])):
        for shard in range(shards):
            for key, postings in json.loads(files[f"search/{folder}/{shard}.json"]).items():
                assert shard_of(key, shards) == shard, key
                found[folder, key] = _decode(postings)
    assert found == expected
    assert any(len(key) == 2 and max(map(ord, key)) > 0xFFFF for _, key in found), "keys beyond U+FFFF were indexed"


def test_same_documents_give_the_same_bytes() -> None:
    assert build_index(DOCUMENTS) == build_index(list(reversed(DOCUMENTS)))
    assert build_index(DOCUMENTS) != build_index(DOCUMENTS, fold_kana=False)


# --- the JavaScript reader under Node ------------------------------------------------------


def node(script: str, payload: object) -> object:
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("Node.js is not installed (apt-get install -y nodejs); the browser tests cover search.js")
    result = subprocess.run([executable, "-e", script, str(CORE_JS)], input=json.dumps(payload, ensure_ascii=False),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


NORMALISE_JS = """
const core = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(input.texts.map(t => [core.normalize(t, true), core.normalize(t, false),
  core.normalizeWithMap(t, true).text, input.keys.map(k => core.shardOf(k, 1024))])));
"""


def test_javascript_normalises_exactly_like_python() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "content").rglob("*.md"))[:40]]
    texts += ["ｷｬﾗﾊﾞﾝ･ﾒｲﾄ", "コーディネ－タ―", "ＡＢＣ　ｄｅｆ", "ΟΔΟΣ", "クーーア", "ヴァイオリン", "ヽヾゝ",
              "𠮷野家のカフェ", "e\u0301te\u0301", "\u200b見え\ufeffない", "Ⅻ㈱㌔", "ｰｰ", "—ー—"]
    keys = ["かふ", "地域", "np", "𠮷野", "a"]
    results = node(NORMALISE_JS, {"texts": texts, "keys": keys})
    for text, (folded, kept, mapped, shards) in zip(texts, results):
        assert folded == normalize(text), text[:40]
        assert kept == normalize(text, fold_kana=False), text[:40]
        assert mapped == folded, text[:40]
        assert shards == [shard_of(key, 1024) for key in keys]


SEARCH_JS = """
const core = require(process.argv[1]);
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const index = new core.Index(input.dir + '/search/', url => Promise.resolve(JSON.parse(fs.readFileSync(url.split('?')[0], 'utf8'))));
(async () => {
  const out = {};
  for (const query of input.queries) {
    const found = await index.candidates(query);
    const results = [];
    for (const candidate of found.pages) {
      const confirmed = await index.confirm(candidate, found.query);
      if (confirmed) results.push({url: confirmed.url, title: candidate.title,
        marked: confirmed.snippet.filter(p => p.mark).map(p => p.text)});
    }
    out[query] = {candidates: found.pages.length, exact: found.exact, results};
  }
  console.log(JSON.stringify(out));
})();
"""


def test_javascript_finds_exactly_the_pages_containing_the_query(tmp_path: Path) -> None:
    for path, data in build_index(DOCUMENTS).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    queries = ["カフェ", "かふぇ", "ｶﾌｪ", "キャラバンメイト", "NPO 法人", "の", "記録を残す", "最後にカフェ",
               "カフェの輪", "協働事例", "x", "記録"]
    found = node(SEARCH_JS, {"dir": str(tmp_path), "queries": queries})
    for query in queries:
        truth = {d.url for d in DOCUMENTS if normalize(query) in normalize(d.text)}
        urls = [result["url"] for result in found[query]["results"]]
        assert sorted(urls) == sorted(truth), query
        assert all(normalize("".join(r["marked"][:1])) == normalize(query) for r in found[query]["results"]), query
    assert found["カフェ"]["results"][0]["url"] == "cases/a/", "a title match ranks first"
    assert found["記録"]["exact"] is True, "two characters: the bigram postings are the answer"
    assert found["カフェの輪"]["exact"] is False, "longer: each candidate is confirmed on its text"
