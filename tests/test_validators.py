from hypothesis import given, strategies as st

from mockserver.validators.common import is_guid, is_ip, is_url
from mockserver.validators.polish import is_pesel, is_rau, make_pesel
from mockserver.validators.turkish import (
    is_document_serial, is_tckn, is_vkn, is_ykn, make_tckn, make_vkn, normalize_mobile, parse_plate,
)

nine = st.text("0123456789", min_size=9, max_size=9)


@given(nine.filter(lambda s: s[0] != "0"))
def test_generated_tckn_is_valid(first9):
    assert is_tckn(make_tckn(first9))


@given(nine.filter(lambda s: s[0] != "0"), st.integers(0, 10), st.integers(1, 9))
def test_tckn_rejects_any_single_digit_change(first9, pos, delta):
    value = make_tckn(first9)
    mutated = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1:]
    # TCKN's two check digits catch every single-digit error
    assert not is_tckn(mutated)


def test_tckn_known_values_and_shape():
    assert is_tckn("11111111110") and is_tckn("10000000146")
    assert not is_tckn("01111111110") and not is_tckn("1111111111") and not is_tckn("1111111111a")


@given(nine)
def test_generated_vkn_is_valid(first9):
    assert is_vkn(make_vkn(first9))


@given(nine, st.integers(1, 9))
def test_vkn_rejects_a_changed_check_digit(first9, delta):
    value = make_vkn(first9)
    assert not is_vkn(value[:9] + str((int(value[9]) + delta) % 10))


def test_ykn_is_a_tckn_starting_with_99():
    assert is_ykn(make_tckn("991234567")) and not is_ykn(make_tckn("123456789"))


dates = st.dates().filter(lambda d: 1800 <= d.year <= 2299)


@given(dates, st.integers(0, 9999))
def test_generated_pesel_is_valid(day, serial):
    month = day.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[day.year // 100]
    first10 = f"{day.year % 100:02d}{month:02d}{day.day:02d}{serial:04d}"
    pesel = make_pesel(first10)
    assert is_pesel(pesel)
    assert not is_pesel(pesel[:10] + str((int(pesel[10]) + 1) % 10))


def test_pesel_rejects_impossible_dates():
    assert not is_pesel(make_pesel("9902300000"))  # 30 February
    assert not is_pesel(make_pesel("9913010000"))  # month 13


def test_rau_and_plates_and_phones():
    assert is_rau("1234567/P") and not is_rau("123456/P") and not is_rau("1234567/X")
    assert parse_plate("34 abc 123") == (34, "ABC123")
    assert parse_plate("06A1234") == (6, "A1234")
    assert parse_plate("82ABC123") is None and parse_plate("34ABCD12") is None and parse_plate("34A12") is None
    assert normalize_mobile("+90 532 123 45 67") == "5321234567"
    assert normalize_mobile("05321234567") == "5321234567"
    assert normalize_mobile("2121234567") is None
    assert is_document_serial("AB", "123456") and not is_document_serial("A1", "123456")
    assert is_ip("10.0.0.1") and is_ip("::1") and not is_ip("10.0.0.256")
    assert is_url("https://x.test/a") and not is_url("ftp://x") and is_guid("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
