"""Which voice each engine reads with, from the one name a station gives in stations.toml. Pure.

A station names its voice once, and every engine of its fallback chain must read with something close: a
newsroom that buys FPT.AI's northern woman wants Viettel's northern woman when FPT is down, and the offline voice's
northern accent after that. So a station may give either

- a vendor-neutral name: gender then region, `nu-mien-bac`, `nam-mien-bac`, `nu-mien-trung`, `nam-mien-trung`,
  `nu-mien-nam`, `nam-mien-nam` (or just the region: `mien-bac`, `mien-trung`, `mien-nam`), or
- one engine's own voice code (`banmai` for FPT.AI, `hn-quynhanh` for Viettel AI, a Vbee voice code, `vi` or
  `vi-vn-x-south` for espeak-ng): that engine reads with exactly it, and the others with their voice of the same
  region and gender.

Voice codes are the vendors' documented ones (FPT.AI TTS v5, Viettel AI TTS, Vbee AIVoice API).
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = ("bac", "trung", "nam")
GENDERS = ("nu", "nam")
REGION_VI = {"bac": "miền Bắc", "trung": "miền Trung", "nam": "miền Nam"}
GENDER_VI = {"nu": "nữ", "nam": "nam"}


@dataclass(frozen=True)
class Voice:
    engine: str
    code: str
    gender: str  # "nu", "nam", or "" when the engine does not say
    region: str  # "bac", "trung", "nam"


# Per engine, the first voice of a (region, gender) is the one a neutral name picks.
CATALOGUE: tuple[Voice, ...] = (
    # FPT.AI TTS v5 (docs.fpt.ai: banmai, lannhi, leminh, myan, thuminh, giahuy, linhsan; plus ngoclam, minhquang)
    Voice("fpt", "banmai", "nu", "bac"), Voice("fpt", "leminh", "nam", "bac"), Voice("fpt", "thuminh", "nu", "bac"),
    Voice("fpt", "myan", "nu", "trung"), Voice("fpt", "giahuy", "nam", "trung"), Voice("fpt", "ngoclam", "nu", "trung"),
    Voice("fpt", "lannhi", "nu", "nam"), Voice("fpt", "minhquang", "nam", "nam"), Voice("fpt", "linhsan", "nu", "nam"),
    # Viettel AI TTS
    Voice("viettel", "hn-quynhanh", "nu", "bac"), Voice("viettel", "hn-thanhtung", "nam", "bac"),
    Voice("viettel", "hn-phuongtrang", "nu", "bac"), Voice("viettel", "hn-namkhanh", "nam", "bac"),
    Voice("viettel", "hue-maingoc", "nu", "trung"), Voice("viettel", "hue-baoquoc", "nam", "trung"),
    Voice("viettel", "hcm-diemmy", "nu", "nam"), Voice("viettel", "hcm-minhquan", "nam", "nam"),
    Voice("viettel", "hcm-phuongly", "nu", "nam"), Voice("viettel", "hcm-thuyduyen", "nu", "nam"),
    # Vbee AIVoice API
    Voice("vbee", "hn_female_ngochuyen_full_48k-fhg", "nu", "bac"),
    Voice("vbee", "hn_male_manhdung_news_48k-fhg", "nam", "bac"),
    Voice("vbee", "hn_female_maiphuong_vdts_48k-fhg", "nu", "bac"),
    Voice("vbee", "hn_male_phuthang_news65dt_44k-fhg", "nam", "bac"),
    Voice("vbee", "hue_female_huonggiang_full_48k-fhg", "nu", "trung"),
    Voice("vbee", "hue_male_duyphuong_full_48k-fhg", "nam", "trung"),
    Voice("vbee", "sg_female_thaotrinh_full_48k-fhg", "nu", "nam"),
    Voice("vbee", "sg_male_minhhoang_full_48k-fhg", "nam", "nam"),
    Voice("vbee", "sg_female_lantrinh_vdts_48k-fhg", "nu", "nam"),
    Voice("vbee", "sg_male_trungkien_vdts_48k-fhg", "nam", "nam"),
    # espeak-ng: one voice per accent, no gender choice
    Voice("espeak", "vi", "", "bac"), Voice("espeak", "vi-vn-x-central", "", "trung"),
    Voice("espeak", "vi-vn-x-south", "", "nam"),
)

DEFAULT_REGION = "bac"
DEFAULT_GENDER = "nu"


def neutral_names() -> list[str]:
    return [f"{g}-mien-{r}" for r in REGIONS for g in GENDERS] + [f"mien-{r}" for r in REGIONS]


def parse_neutral(name: str) -> tuple[str, str] | None:
    """(gender, region) of a vendor-neutral name; gender is "" for a bare region. None if it is not one."""
    parts = name.strip().lower().split("-")
    if len(parts) == 3 and parts[0] in GENDERS and parts[1] == "mien" and parts[2] in REGIONS:
        return parts[0], parts[2]
    if len(parts) == 2 and parts[0] == "mien" and parts[1] in REGIONS:
        return "", parts[1]
    return None


def describe(name: str) -> tuple[str, str] | None:
    """(gender, region) a station's voice name stands for, whichever engine's code it is; None if unknown."""
    neutral = parse_neutral(name)
    if neutral is not None:
        return neutral
    for v in CATALOGUE:
        if v.code == name:
            return v.gender, v.region
    return None


def own_codes(engine: str) -> list[str]:
    return [v.code for v in CATALOGUE if v.engine == engine]


def pick(engine: str, gender: str, region: str) -> str | None:
    """The engine's voice for a region and gender: same region first (the accent matters most to listeners),
    then same gender in the default region, then anything it has."""
    voices = [v for v in CATALOGUE if v.engine == engine]
    for test in (lambda v: v.region == region and (not gender or not v.gender or v.gender == gender),
                 lambda v: v.region == region,
                 lambda v: v.region == DEFAULT_REGION and (not gender or not v.gender or v.gender == gender),
                 lambda v: True):
        for v in voices:
            if test(v):
                return v.code
    return None


def resolve(engine: str, name: str) -> str | None:
    """The code `engine` should read `name` with; None when the name means nothing to the catalogue (the engine
    then decides: espeak-ng tries it as its own voice name, a vendor refuses it)."""
    if name in own_codes(engine):
        return name
    meaning = describe(name)
    if meaning is None:
        return None
    gender, region = meaning
    return pick(engine, gender, region)


def label_vi(name: str) -> str:
    """'giọng nữ miền Bắc' for an operator's table; the name itself when unknown."""
    meaning = describe(name)
    if meaning is None:
        return name
    gender, region = meaning
    return " ".join(p for p in ("giọng", GENDER_VI.get(gender, ""), REGION_VI[region]) if p)
