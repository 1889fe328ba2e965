"""Finding a Japanese font on this computer to embed in a PDF.

Windows has Yu Gothic, Meiryo and MS Gothic in ``%WINDIR%\\Fonts``; Debian and
Ubuntu have Noto Sans CJK (``fonts-noto-cjk``), other Linux systems IPAex or
Takao; fontconfig knows where. Most of them are collections (.ttc) holding
several faces (Japanese, Chinese, Korean, UI variants): the face is chosen by its
family name and must carry kana and common kanji. Nothing is bundled: a
Japanese font is 5–20 MB, and every PC that runs PlanDesk has one.

``PLANDESK_PDF_FONT`` names a font file to use instead (a .ttf, .otf or .ttc).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.errors import UserError

ENV_FONT = "PLANDESK_PDF_FONT"
# Characters every report prints: kana, kanji, full-width digits and marks.
_MUST_HAVE = "あア漢字事業計画評価１％◎○△"


@dataclass(frozen=True, slots=True)
class FontFace:
    path: Path
    index: int  # the face in a collection (0 in a single-font file)
    name: str


@dataclass(frozen=True, slots=True)
class JapaneseFonts:
    regular: FontFace
    bold: FontFace  # the regular face again where the family has no bold
    # For the judgement symbols (✔ ✖) Japanese fonts lack; None: they print as blanks.
    symbols: FontFace | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A font file that may exist, the families to take from it (in order of
    preference), and the file of its bold weight."""

    path: Path
    families: tuple[str, ...]
    bold: Path | None = None


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def windows_candidates(fonts: Path | None = None) -> list[Candidate]:
    """Japanese Windows' own fonts (Windows 10 and 11), the most readable first.
    Untested on a real Windows here: the file and family names are Microsoft's."""
    folder = fonts or _windows_fonts()
    return [
        Candidate(folder / "YuGothR.ttc", ("Yu Gothic",), folder / "YuGothB.ttc"),
        Candidate(
            folder / "YuGothM.ttc", ("Yu Gothic Medium", "Yu Gothic"), folder / "YuGothB.ttc"
        ),
        Candidate(folder / "meiryo.ttc", ("Meiryo",), folder / "meiryob.ttc"),
        Candidate(folder / "msgothic.ttc", ("MS PGothic", "MS Gothic")),
    ]


_LINUX_NOTO = ("Noto Sans CJK JP", "Noto Sans JP")
LINUX_CANDIDATES = [
    Candidate(
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian, Ubuntu
        _LINUX_NOTO,
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ),
    Candidate(
        Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),  # Fedora
        _LINUX_NOTO,
        Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"),
    ),
    Candidate(
        Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),  # Arch
        _LINUX_NOTO,
        Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    ),
    Candidate(Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"), ("IPAexGothic",)),
    Candidate(Path("/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf"), ("TakaoPGothic",)),
]


def fontconfig_candidates() -> list[Candidate]:
    """What fontconfig chooses for Japanese, where fontconfig is installed."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    found = []
    for style, weight in (("Regular", "regular"), ("Bold", "bold")):
        try:
            out = subprocess.run(
                [fc_match, "-f", "%{file}\n%{family[0]}", f"sans-serif:lang=ja:weight={weight}"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        path, _, family = out.partition("\n")
        if path:
            found.append((style, Path(path), family.strip()))
    if not found:
        return []
    regular = found[0]
    bold = found[1][1] if len(found) > 1 and found[1][1] != regular[1] else None
    return [Candidate(regular[1], (regular[2],) if regular[2] else (), bold)]


# Fonts with the judgement symbols ✔ ✖ (Dingbats), which the Japanese fonts lack.
SYMBOLS = "✔✖↗↘"


def symbol_candidates() -> list[Path]:
    if os.name == "nt":
        return [_windows_fonts() / "seguisym.ttf"]  # Segoe UI Symbol, Windows 7 and later
    return [
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian, Ubuntu
        Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),  # Fedora
        Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
    ]


def _symbols(paths: Iterable[Path]) -> FontFace | None:
    for path in paths:
        face = _face(path, (), must_have=SYMBOLS)
        if face is not None:
            return face
    return None


def default_candidates() -> Iterator[Candidate]:
    """This system's fonts, the known places first (fontconfig only if none is there)."""
    if os.name == "nt":
        yield from windows_candidates()
        return
    yield from LINUX_CANDIDATES
    yield from fontconfig_candidates()


def find_japanese_fonts(
    candidates: Sequence[Candidate] | None = None, symbols: Sequence[Path] | None = None
) -> JapaneseFonts:
    """The first usable Japanese font among ``candidates`` (default: this system's),
    and a font for the symbols it lacks among ``symbols``; UserError in Japanese and
    English when there is no Japanese font."""
    extra = _symbols(symbol_candidates() if symbols is None else symbols)
    override = os.environ.get(ENV_FONT)
    if override:
        face = _face(Path(override), ())
        if face is None:
            raise UserError(
                f"環境変数 {ENV_FONT} のフォント「{override}」が見つからないか、日本語の文字が"
                "含まれていません。",
                f"The font '{override}' named by {ENV_FONT} is missing or has no Japanese "
                "characters.",
            )
        return JapaneseFonts(face, face, extra)
    for candidate in default_candidates() if candidates is None else candidates:
        regular = _face(candidate.path, candidate.families)
        if regular is None:
            continue
        bold = _face(candidate.bold, candidate.families) if candidate.bold else None
        return JapaneseFonts(regular, bold or regular, extra)
    raise UserError(
        "PDF に埋め込む日本語フォントが見つかりません（Windows: 游ゴシック・メイリオ・"
        "MS ゴシック、Linux: fonts-noto-cjk）。日本語フォントをインストールするか、"
        f"環境変数 {ENV_FONT} にフォントファイル（.ttf / .otf / .ttc）を指定してください。",
        "No Japanese font to embed in the PDF was found (Windows: Yu Gothic, Meiryo or "
        "MS Gothic; Linux: fonts-noto-cjk). Install a Japanese font, or name a font file "
        f"(.ttf, .otf or .ttc) in the environment variable {ENV_FONT}.",
    )


def _face(
    path: Path | None, families: Iterable[str], must_have: str = _MUST_HAVE
) -> FontFace | None:
    """The face of ``path`` named first in ``families`` (the first face if none is
    named), or None if the file is missing, unreadable or not Japanese. Only the
    chosen face's character map is read: a CJK collection holds ten faces."""
    if path is None or not path.is_file():
        return None
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    wanted = list(families)
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(str(path), lazy=True) as collection:
                return _choose(path, list(collection.fonts), wanted, must_have)
        with TTFont(str(path), lazy=True) as font:
            return _choose(path, [font], wanted, must_have)
    except (OSError, TTLibError, KeyError, ValueError, AssertionError, EOFError):
        return None


def _choose(path: Path, fonts: list, wanted: list[str], must_have: str) -> FontFace | None:
    names = [_family(font) for font in fonts]
    order = [names.index(f) for f in wanted if f in names] if wanted else [0]
    for index in order:
        cmap = fonts[index].getBestCmap() or {}
        if all(ord(c) in cmap for c in must_have):
            return FontFace(path, index, names[index])
    return None


def _family(font: object) -> str:
    names = font["name"]  # type: ignore[index]
    return names.getDebugName(16) or names.getDebugName(1) or ""
