"""A tile map of Yokohama's 18 wards, shaded by how many cafes each has.

Every ward is one tile of the same size, placed roughly where the ward lies (north at the
top, the sea to the east), so that a small ward such as 西区 is as easy to see and read as
a large one. This module only computes tiles, shades and the words for screen readers;
the SVG itself is written by a template (`hub/partials/machikado-ward-map.html`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.core.vocab import Term, Vocabulary

# (column, row) of each ward id of the `wards` vocabulary: 5 columns × 5 rows.
LAYOUT: dict[str, tuple[int, int]] = {
    "aoba": (1, 0), "tsuzuki": (2, 0), "kohoku": (3, 0), "tsurumi": (4, 0),
    "seya": (0, 1), "midori": (1, 1), "hodogaya": (2, 1), "kanagawa": (3, 1),
    "izumi": (0, 2), "asahi": (1, 2), "nishi": (2, 2), "naka": (3, 2),
    "totsuka": (1, 3), "minami": (2, 3), "isogo": (3, 3),
    "sakae": (1, 4), "konan": (2, 4), "kanazawa": (3, 4),
}
# Sizes in the SVG's units. On a 390 px phone the map is 358 px wide (0.54 px a unit): a tile
# (a link) is 65 × 58 px, two tiles are 8.6 px apart and the 30-unit text is 16 px. Five
# columns leave room for three characters a line at that size, so 神奈川区 takes two lines.
TILE_WIDTH, TILE_HEIGHT, GAP = 120, 108, 16
LINE_HEIGHT, NAME_CHARS = 34, 3
BASELINE_BELOW_CENTRE = 11  # a Japanese glyph's middle sits about this far above its baseline
# Shade levels by count: none, 1, 2, 3 or more.
LEVELS = ((0, "なし"), (1, "1 件"), (2, "2 件"), (3, "3 件以上"))


def ward_anchor(ward_id: str) -> str:
    """The id of a ward's section on the cafe directory, which its tile and table row link to."""
    return f"ward-{ward_id}"


@dataclass(frozen=True)
class WardTile:
    term: Term
    column: int
    row: int
    count: int

    @property
    def x(self) -> int:
        return self.column * (TILE_WIDTH + GAP)

    @property
    def y(self) -> int:
        return self.row * (TILE_HEIGHT + GAP)

    @property
    def level(self) -> int:
        return min(self.count, len(LEVELS) - 1)

    @property
    def label(self) -> str:
        """「西区 3 か所」: the tile's name for screen readers, its visible text and the unit."""
        return f"{self.term.label} {self.count} か所"

    @property
    def anchor(self) -> str:
        return ward_anchor(self.term.id)

    @property
    def center_x(self) -> int:
        return self.x + TILE_WIDTH // 2

    @property
    def lines(self) -> list[tuple[str, int]]:
        """The name's lines and then the count, each with its baseline, centred in the tile. A name
        longer than NAME_CHARS is split in halves (「保土ケ / 谷区」); none is longer than two lines."""
        name, half = self.term.label, (len(self.term.label) + 1) // 2
        texts = [name] if len(name) <= NAME_CHARS else [name[:half], name[half:]]
        texts.append(str(self.count))
        middle = self.y + TILE_HEIGHT / 2 + BASELINE_BELOW_CENTRE
        return [(text, round(middle + (index - (len(texts) - 1) / 2) * LINE_HEIGHT)) for index, text in enumerate(texts)]


@dataclass(frozen=True)
class WardMap:
    tiles: list[WardTile]
    title: str
    description: str

    @property
    def width(self) -> int:
        return max(tile.x for tile in self.tiles) + TILE_WIDTH

    @property
    def height(self) -> int:
        return max(tile.y for tile in self.tiles) + TILE_HEIGHT

    @property
    def tile_width(self) -> int:
        return TILE_WIDTH

    @property
    def tile_height(self) -> int:
        return TILE_HEIGHT

    @property
    def legend(self) -> tuple[tuple[int, str], ...]:
        return LEVELS


def ward_counts(wards: Vocabulary, ward_ids: list[str]) -> dict[str, int]:
    """Every ward of the vocabulary, in its order, with its number of cafes (zero included)."""
    return {term.id: ward_ids.count(term.id) for term in wards.terms}


def ward_map(wards: Vocabulary, counts: dict[str, int], what: str = "認知症カフェ") -> WardMap:
    """Tiles for every ward in LAYOUT; the description says in words what the shading shows."""
    missing = [term.id for term in wards.terms if term.id not in LAYOUT]
    if missing:
        raise ValueError(f"wards without a place on the tile map: {', '.join(missing)}")
    tiles = [WardTile(term, *LAYOUT[term.id], counts.get(term.id, 0)) for term in wards.terms]
    return WardMap(tiles, f"横浜市18区の{what}の数", _description(tiles, what))


def _description(tiles: list[WardTile], what: str) -> str:
    """「18区のうち9区に認知症カフェがあります（計16件）。多い順に 西区 3件、…。まだないのは …です。」"""
    having = sorted((tile for tile in tiles if tile.count), key=lambda tile: -tile.count)
    without = [tile.term.label for tile in tiles if not tile.count]
    text = f"横浜市の18区を同じ大きさのタイルで表した地図です。{len(tiles)}区のうち{len(having)}区に{what}があります" \
           f"（計{sum(tile.count for tile in tiles)}件）。色が濃いほど多い区です。"
    if having:
        text += "多い順に " + "、".join(f"{tile.term.label} {tile.count}件" for tile in having) + "。"
    if without:
        text += "まだないのは " + "、".join(without) + " です。"
    return text
