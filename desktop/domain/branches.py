"""Headquarters and the 47 prefectural branches, by JIS prefecture code."""

from __future__ import annotations

from dataclasses import dataclass

HQ_CODE = "00"

_PREFECTURES = (
    "北海道",
    "青森",
    "岩手",
    "宮城",
    "秋田",
    "山形",
    "福島",
    "茨城",
    "栃木",
    "群馬",
    "埼玉",
    "千葉",
    "東京",
    "神奈川",
    "新潟",
    "富山",
    "石川",
    "福井",
    "山梨",
    "長野",
    "岐阜",
    "静岡",
    "愛知",
    "三重",
    "滋賀",
    "京都",
    "大阪",
    "兵庫",
    "奈良",
    "和歌山",
    "鳥取",
    "島根",
    "岡山",
    "広島",
    "山口",
    "徳島",
    "香川",
    "愛媛",
    "高知",
    "福岡",
    "佐賀",
    "長崎",
    "熊本",
    "大分",
    "宮崎",
    "鹿児島",
    "沖縄",
)

_ROMAJI = (
    "Hokkaido",
    "Aomori",
    "Iwate",
    "Miyagi",
    "Akita",
    "Yamagata",
    "Fukushima",
    "Ibaraki",
    "Tochigi",
    "Gunma",
    "Saitama",
    "Chiba",
    "Tokyo",
    "Kanagawa",
    "Niigata",
    "Toyama",
    "Ishikawa",
    "Fukui",
    "Yamanashi",
    "Nagano",
    "Gifu",
    "Shizuoka",
    "Aichi",
    "Mie",
    "Shiga",
    "Kyoto",
    "Osaka",
    "Hyogo",
    "Nara",
    "Wakayama",
    "Tottori",
    "Shimane",
    "Okayama",
    "Hiroshima",
    "Yamaguchi",
    "Tokushima",
    "Kagawa",
    "Ehime",
    "Kochi",
    "Fukuoka",
    "Saga",
    "Nagasaki",
    "Kumamoto",
    "Oita",
    "Miyazaki",
    "Kagoshima",
    "Okinawa",
)


@dataclass(frozen=True, slots=True)
class Branch:
    code: str  # "01".."47", "00" for HQ
    name_ja: str  # 東京支部 / 本部
    name_en: str

    @property
    def is_hq(self) -> bool:
        return self.code == HQ_CODE

    def label(self, lang: str = "ja") -> str:
        return f"{self.code} {self.name_ja if lang == 'ja' else self.name_en}"


BRANCHES: dict[str, Branch] = {HQ_CODE: Branch(HQ_CODE, "本部", "Headquarters")} | {
    f"{i:02d}": Branch(f"{i:02d}", f"{name}支部", f"{romaji} branch")
    for i, (name, romaji) in enumerate(zip(_PREFECTURES, _ROMAJI, strict=True), start=1)
}


def branch(code: str | int) -> Branch:
    """Look up a unit by code; accepts 13, "13" and "013"-free forms only.

    Raises KeyError with the code when there is no such branch.
    """
    text = f"{int(code):02d}" if isinstance(code, int) else code.strip()
    if text.isascii() and text.isdigit() and len(text) == 1:
        text = "0" + text
    if text not in BRANCHES:
        raise KeyError(code)
    return BRANCHES[text]


def prefecture_branches() -> list[Branch]:
    """The 47 branches in code order (without HQ)."""
    return [b for c, b in BRANCHES.items() if c != HQ_CODE]
