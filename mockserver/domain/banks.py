"""Banks, their branches and the financial institutions a loss-payee clause (dain-i mürtehin) names
(the real B2C site's §5.6: ``GET banks`` → ``[{id, name}]``, ``GET banks/{bankId}/branches`` →
``[{id, name, …}]``, ``GET financial-institutions`` → ``[{id, name}]``).

Bank ids are their EFT codes; every bank has a branch in each city of ``address-parameters/cities``
(id = bank × 1000 + city plate code), "<city> Şubesi". The lists are the sandbox's: the API's own are
not published."""

from __future__ import annotations

from functools import cache
from typing import Any

from mockserver.core.errors import NotFound

BANKS: tuple[tuple[int, str], ...] = (
    (10, "T.C. Ziraat Bankası A.Ş."), (12, "Türkiye Halk Bankası A.Ş."), (15, "Türkiye Vakıflar Bankası T.A.O."),
    (32, "Türk Ekonomi Bankası A.Ş."), (46, "Akbank T.A.Ş."), (59, "Şekerbank T.A.Ş."),
    (62, "Türkiye Garanti Bankası A.Ş."), (64, "Türkiye İş Bankası A.Ş."), (67, "Yapı ve Kredi Bankası A.Ş."),
    (99, "ING Bank A.Ş."), (103, "Fibabanka A.Ş."), (111, "QNB Bank A.Ş."), (123, "HSBC Bank A.Ş."),
    (124, "Alternatifbank A.Ş."), (125, "Burgan Bank A.Ş."), (134, "Denizbank A.Ş."), (135, "Anadolubank A.Ş."),
    (146, "Odea Bank A.Ş."), (203, "Albaraka Türk Katılım Bankası A.Ş."), (205, "Kuveyt Türk Katılım Bankası A.Ş."),
    (206, "Türkiye Finans Katılım Bankası A.Ş."), (209, "Ziraat Katılım Bankası A.Ş."),
    (210, "Vakıf Katılım Bankası A.Ş."),
)
FINANCIAL_INSTITUTIONS: tuple[tuple[int, str], ...] = (
    (1, "Koç Fiat Kredi Tüketici Finansmanı A.Ş."), (2, "Volkswagen Doğuş Tüketici Finansmanı A.Ş."),
    (3, "Toyota Finansal Hizmetler Türkiye A.Ş."), (4, "Mercedes-Benz Finansman Türk A.Ş."),
    (5, "Yapı Kredi Finansal Kiralama A.O."), (6, "Ak Finansal Kiralama A.Ş."), (7, "İş Finansal Kiralama A.Ş."),
    (8, "Vakıf Finansal Kiralama A.Ş."), (9, "Garanti Finansal Kiralama A.Ş."), (10, "Şeker Finansal Kiralama A.Ş."),
    (11, "Halk Finansal Kiralama A.Ş."), (12, "Ziraat Finansal Kiralama A.Ş."),
)


def banks() -> list[dict[str, Any]]:
    return [{"id": i, "name": n} for i, n in BANKS]


def institutions() -> list[dict[str, Any]]:
    return [{"id": i, "name": n} for i, n in FINANCIAL_INSTITUTIONS]


@cache
def _branches(bank_id: int) -> tuple[dict[str, Any], ...]:
    from mockserver.domain.reference import address_tree

    tree = address_tree()
    out = []
    for city in tree.cities:
        plate = int(city.value)
        name = city.text.title() if city.text.isupper() else city.text
        out.append({"id": bank_id * 1000 + plate, "name": f"{name} Şubesi", "bankId": bank_id,
                    "cityReference": city.value, "cityName": city.text})
    return tuple(out)


def branches(bank_id: int) -> list[dict[str, Any]]:
    if bank_id not in dict(BANKS):
        raise NotFound(f"Bank {bank_id} was not found.", codes=["BANK_NOT_FOUND"])
    return list(_branches(bank_id))
