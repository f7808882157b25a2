"""Shapes every resource shares: values with their text, phone numbers, user references, the problem body, the scalar input types (dates, money, enum spellings) and the query-string base."""


import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator

from mockserver.validators.common import is_url, isdigits
from mockserver.validators.turkish import is_vkn, normalize_mobile
from mockserver.wire.base import Strict, Wire
from mockserver.wire.parse import rule


class ValueText(Strict):
    value: str
    text: str


class PhoneOut(Strict):
    number: str
    countryCode: int
    areaCode: str
    numberWithoutAreaCode: str


class IdResponse(Strict):
    id: str


class ValidationErrorOut(Strict):
    propertyName: str
    errorMessage: str
    attemptedValue: str | int | float | bool | None = None


class Problem(Strict):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    codes: list[str]
    validationErrors: list[ValidationErrorOut]
    suggestions: list[str]
    traceId: str
    message: str
    errors: list[str]


class UserReference(Strict):
    id: str
    name: str | None
    email: str | None = None
    userType: int | Literal["NONE", "ADMIN_PANEL", "AGENT", "CUSTOMER"] | None = Field(
        None, description="REST: a number (NONE 0, ADMIN_PANEL 1, AGENT 2, CUSTOMER 3; the SDK: 'verified live: 2 for "
                          "service accounts'); webhook payloads and GraphQL: the name")
    isServiceAccount: bool | None = Field(None, description="whether the reference is a service account (REST)")


class ReferenceIn(Wire):
    id: Annotated[str, Field(max_length=64)]


ShortText = Annotated[str, Field(max_length=200)]
NameText = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]  # a name or title: not blank


class Mobile(NamedTuple):
    """A phone number as parsed: the national significant number (5XXXXXXXXX in Turkey) and its country code."""
    number: str
    country_code: int


def country_code_of(value: Any) -> Any:
    text = str(value).strip().lstrip("+") if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not (isdigits(text) and len(text) <= 4 and int(text) >= 1):
        raise ValueError("must be a number such as 90")
    return int(text)


def national_mobile(number: str, country_code: int) -> str:
    """The national significant number of a mobile, or ValueError in words."""
    found = normalize_mobile(number, country_code)
    if found is None:
        raise ValueError("must be a Turkish mobile number: 10 digits starting with 5 (e.g. 5321234567), optionally "
                         "prefixed with +90 or 0" if country_code == 90 else "must be 6-14 digits")
    return found


# the schema's promise, documentation only (the validators decide): spaces, dashes and brackets are
# taken too, and 6 to 14 digits for a country other than Turkey
_MOBILE_PATTERN = r"^(\+?90|0)?5[0-9]{9}$"


def _number_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class PhoneIn(Wire):
    number: str | int
    countryCode: int | str = 90
    areaCode: str | None = None
    numberWithoutAreaCode: str | None = None


# a country calling code, as a number or its digits ("+90" too)
CountryCode = Annotated[Annotated[int, Field(ge=1, le=9999)] | Annotated[str, Field(pattern=r"^\+?[1-9][0-9]{0,3}$")],
                        BeforeValidator(country_code_of)]


class MobilePhoneIn(Wire):
    """The SDK's phone object, for a mobile: the number is checked against its country code."""
    countryCode: CountryCode = 90
    number: Annotated[str, BeforeValidator(_number_text), Field(json_schema_extra={"pattern": _MOBILE_PATTERN}, description=(
        "A mobile number, national (5XXXXXXXXX) or with +90 or 0 before it; 6-14 digits for another country"))]
    areaCode: str | None = None
    numberWithoutAreaCode: str | None = None

    @field_validator("number")
    @classmethod
    def _mobile(cls, number: Any, info: ValidationInfo) -> str:
        if not isinstance(number, str) or not number.strip():
            raise ValueError("is required and must be a string")
        country = info.data.get("countryCode")
        return number if country is None else national_mobile(number, country)  # (a bad country code is told already)


def _phone_form(value: Any) -> str:
    return "phone-object" if isinstance(value, (dict, MobilePhoneIn)) else "phone-text"  # (tags no field is named)


def _mobile_words(value: Any) -> Any:
    """The national number of a text form (or of its digits sent as a number), checked before the
    pattern so the error is in words."""
    value = _number_text(value)
    return national_mobile(value, 90) if isinstance(value, str) else value


def _mobile(value: Any) -> Mobile:
    if isinstance(value, MobilePhoneIn):
        return Mobile(str(value.number), int(value.countryCode))
    return Mobile(value, 90)  # (the text form, made national by _mobile_words)


def _mobile_type(blank: bool) -> Any:
    """A mobile number as a string (national, +90 or 0 before it) or the SDK's {number, countryCode},
    parsed to a Mobile; ``blank``: the schema admits "" (an optional field's "no number")."""
    pattern = f"^({_MOBILE_PATTERN[1:-1]})?$" if blank else _MOBILE_PATTERN
    text = Annotated[str, BeforeValidator(_mobile_words),
                     Field(max_length=20, json_schema_extra={"pattern": pattern}), Tag("phone-text")]
    return Annotated[Annotated[Annotated[MobilePhoneIn, Tag("phone-object")] | text, Discriminator(_phone_form)],
                     AfterValidator(_mobile)]


MobileIn = _mobile_type(blank=False)


def _value_of(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def _email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError("must be an e-mail address")
    return text.lower()


# an e-mail address (also as the {value} object an SDK echoes), trimmed and lower-cased
_EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"


def _email_type(blank: bool) -> Any:
    """An e-mail address (also as the {value} object an SDK echoes), trimmed and lower-cased. The
    schema's pattern is documentation only, in plain ASCII: every address it admits is taken, and
    addresses in other scripts too; ``blank``: it admits "" (an optional field's "no address")."""
    pattern = f"^({_EMAIL_PATTERN})?$" if blank else f"^{_EMAIL_PATTERN}$"
    return Annotated[str, Field(max_length=254, description="An e-mail address", json_schema_extra={"pattern": pattern}),
                     BeforeValidator(_email), BeforeValidator(_value_of)]


EmailText = _email_type(blank=False)


def blank_is_none(value: Any) -> Any:
    """An empty string sent for an optional field means it is absent."""
    return None if value == "" else value


OptionalMobile = Annotated[_mobile_type(blank=True) | None, BeforeValidator(blank_is_none)]
OptionalEmail = Annotated[_email_type(blank=True) | None, BeforeValidator(blank_is_none)]

CUSTOMER_KINDS = {"individual": "individual", "person": "individual", "company": "company", "corporate": "company",
                  "foreign": "foreign"}


def _customer_kind(value: Any) -> Any:
    key = value.strip().lower() if isinstance(value, str) else None
    if key not in CUSTOMER_KINDS:
        raise ValueError("must be individual, company or foreign")
    return CUSTOMER_KINDS[key]


# a customer's type: individual (or person), company (or corporate), foreign, in any case
CustomerKind = Annotated[Literal["individual", "company", "foreign"], BeforeValidator(_customer_kind),
                         Field(description="individual (or person), company (or corporate), foreign; any case")]
IdentityText = str | int  # a TCKN, VKN, YKN or passport number, as text or as its digits


class CustomerIdentityIn(Wire):
    """Who a customer is: its type and identity or tax number (checked against each other by the domain)."""
    type_: CustomerKind | None = Field(None, alias="$type")
    type: CustomerKind | None = Field(None, description="Same as $type")
    identityNumber: IdentityText | None = Field(None, json_schema_extra={"x-error-code": "INVALID_IDENTITY_NUMBER"},
                                                description="TCKN (individual), YKN or passport (foreign), VKN "
                                                            "(company, variant A)")
    taxNumber: IdentityText | None = Field(None, json_schema_extra={"x-error-code": "INVALID_TAX_NUMBER"},
                                           description="VKN for company customers")

    def kind(self, default: str | None = None) -> str:
        """The type sent, else ``default``, else company for a tax number alone and individual otherwise."""
        return self.type_ or self.type or default or (
            "company" if self.taxNumber not in (None, "") and self.identityNumber in (None, "") else "individual")

    @property
    def kind_sent(self) -> str | None:
        return self.type_ or self.type


EnumName = Annotated[str, Field(max_length=64)]


EnumNames = Annotated[list[EnumName], Field(max_length=20)]


class PhoneNumberOut(Strict):
    """The SDK's ``{number, countryCode}``."""

    number: str
    countryCode: int


class RefOut(Strict):
    value: str
    text: str


class NamedOut(Strict):
    id: int
    name: str


# The SDK's Channel (common.base.ts), in its order, then the two the API guide's enum adds
CHANNELS = ("UNKNOWN", "MANUAL", "WEBSITE", "GOOGLE_ADS", "CALL_CENTER", "SOCIAL_MEDIA", "MOBILE_APP",
            "OFFLINE_PROPOSAL_FORM", "FIELD", "PRINT_MEDIA", "FAIR_EVENT", "BUSINESS_PARTNER", "CHATBOT", "API", "PARTNER")
CHANNEL_ALIASES = {"MOBILE": "MOBILE_APP", "WEB": "WEBSITE", "WEB_SITE": "WEBSITE"}


def upper_snake(aliases: dict[str, str]) -> BeforeValidator:
    """An enum word in any case, with hyphens or spaces, or under an older name: its UPPER_SNAKE spelling
    (an empty one: None)."""
    def spell(value: object) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        key = value.strip().upper().replace("-", "_").replace(" ", "_")
        return aliases.get(key, key)
    return BeforeValidator(spell)


Channel = Annotated[Literal[CHANNELS], upper_snake(CHANNEL_ALIASES),  # type: ignore[valid-type]
                    Field(description="Any case; MOBILE and WEB are read as MOBILE_APP and WEBSITE")]
OptionalChannel = Annotated[Literal[CHANNELS] | None, upper_snake(CHANNEL_ALIASES),  # type: ignore[valid-type]
                            Field(description="Any case; MOBILE and WEB are read as MOBILE_APP and WEBSITE; "
                                              "empty or null: the default")]


PaymentOption = Literal["UNKNOWN", "SYNC_CREDIT_CARD", "SYNC_OPEN_ACCOUNT", "ASYNC_3D_SECURE",
                        "ASYNC_INSURANCE_COMPANY_REDIRECT", "ASYNC_THIRD_PARTY_3D_SECURE"]


class DocumentUrl(Strict):
    url: str


class ValueRef(Wire):
    """An echoed ``{value, text}`` (or ``{reference}``) object: only its value counts."""

    value: str | int | None = None
    text: str | None = None
    reference: str | int | None = None


Enumish = str | int | ValueRef  # UPPER_SNAKE in any case, the integer code, or a {value} echo


DateText = Annotated[str, Field(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?|[0-9]{2}[./][0-9]{2}[./][0-9]{4})$",
                               description="YYYY-MM-DD (dd.mm.yyyy and ISO instants accepted)")]


def _calendar_day(value: str) -> str:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError("must be a calendar date YYYY-MM-DD") from None
    return value


def _iso_day_text(value: Any) -> Any:
    """Checked before the pattern, so the error says what is wanted in words."""
    if isinstance(value, str) and not re.match(r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


# the schema's pattern (documentation only: the validators below decide) admits only the days every
# year has: 29 February is taken, not promised
_DAY_PATTERN = (r"^[1-9][0-9]{3}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
                r"|02-(0[1-9]|1[0-9]|2[0-8]))")
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date", "pattern": _DAY_PATTERN},
                               description="YYYY-MM-DD (a calendar day; an ISO instant is read as its day)"),
                    BeforeValidator(_iso_day_text), AfterValidator(_calendar_day)]


def _instant_words(value: Any) -> Any:
    """Checked first, so the error says what is wanted in words."""
    if isinstance(value, str):
        try:
            if "T" not in value.upper():  # (a day alone is not an instant)
                raise ValueError
            datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("must be an ISO 8601 instant (2026-12-01T10:00:00Z)") from None
    return value


# an ISO 8601 instant, parsed to a datetime (optional: null or absent is no value)
Instant = Annotated[str, BeforeValidator(_instant_words), Field(json_schema_extra={"format": "date-time"}),
                    AfterValidator(lambda v: datetime.fromisoformat(v.strip().replace("Z", "+00:00")))] | None


def _vkn(value: str) -> str:
    if not is_vkn(value):  # (ten digits, the pattern said; the check digit is a rule JSON Schema cannot state)
        raise rule("must be a valid 10-digit tax number (VKN)")
    return value


Vkn = Annotated[str, Field(pattern=r"^[0-9]{10}$", description="A tax number (VKN) with its check digit"),
                AfterValidator(_vkn)]
def _no_spaces(value: Any) -> Any:
    if isinstance(value, str) and (not value.strip() or any(c.isspace() for c in value)):
        raise ValueError("must be 1 to 100 characters without spaces")
    return value


# an OAuth client_id a caller chooses
ClientIdText = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S+$"), BeforeValidator(_no_spaces)]
# ProductBranch as documented, plus the lead-form branches the real site sends for cases
PRODUCT_BRANCHES = (  # the SDK's ProductBranch (common.base.ts), in its order; then the sandbox's earlier names
    "KASKO", "DASK", "KONUT", "TRAFIK", "TSS", "IMM", "YESIL_KART", "FERDI_KAZA", "GRUP_HAYAT", "SAGLIK",
    "KART_KIMLIK_KORUMA", "UCUNCU_SAHIS_MALI_SORUMLULUK", "ISYERI_YANGIN", "SEYAHAT", "ELEKTRONIK_CIHAZ", "PET", "BES",
    "INSAAT_ALL_RISK", "LEASING_ALL_RISK", "MONTAJ_ALL_RISK", "NAKLIYAT", "OZEL_GUVENLIK_MALI_SORUMLULUK",
    "AKILLI_TELEFON", "TEHLIKELI_MADDELER_MALI_SORUMLULUK", "YAT_GEMI_GEZINTI_TEKNESI", "TARIM", "MESLEKI_SORUMLULUK",
    "ALACAK", "ISVEREN_MALI_MESULIYET", "MUHENDISLIK", "HUKUKSAL_KORUMA", "ILK_ATES_KONUT", "KEFALET",
    "FERDI", "ISYERI", "OZEL_SAGLIK", "CEP_TELEFONU")


def _branch(value: Any) -> Any:
    """A product branch in any case; one that is not says which are."""
    if isinstance(value, str):
        key = value.strip().upper()
        if key not in PRODUCT_BRANCHES:
            raise ValueError(f"is not a product branch ({', '.join(PRODUCT_BRANCHES[:5])}, …)")
        return key
    return value


ProductBranchName = Annotated[Literal[PRODUCT_BRANCHES], BeforeValidator(_branch)]  # type: ignore[valid-type]
Money = Annotated[float, Field(ge=0)]
Amount = Annotated[float, Field(ge=0, le=1e9, description="Lira, at most a billion")]  # a premium or commission


def digits_as_int(value: Any) -> Any:
    """A whole number given as its digits ("120") is that number; anything else is left for the
    integer check to refuse."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) < 16:
        return int(value.strip())
    return value


def whole(low: int, high: int, description: str | None = None) -> Any:
    """An integer between low and high, also given as its digits."""
    return Annotated[int, BeforeValidator(digits_as_int), Field(ge=low, le=high, description=description)]


def _ten_digits(value: Any) -> Any:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit() and len(text) == 10):
        raise ValueError("must be a 10-digit UAVT address code")
    return int(text)


# "not a space" spelled out: the spaces of every regex engine that reads the schema (JSON Schema's,
# Python's, pydantic's), so that what the schema admits the check takes
_NOT_SPACE = r"[^\t\n\x0b\x0c\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_HTTP_URL = rf"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~%!$&'()*+,;=:-]+([/?#]{_NOT_SPACE}*)?$"  # (an ASCII host)


def _absolute_http(url: Any) -> Any:
    """Checked before the schema's own constraints, so the error says what is wrong in words."""
    if not isinstance(url, str):
        return url  # (refused as not a string)
    try:
        ok = is_url(url) and re.match(_HTTP_URL, url) is not None and 8 <= len(url) <= 2000
    except ValueError:  # (urlsplit on a broken IPv6 host)
        ok = False
    if not ok:
        raise ValueError("must be an absolute http(s) URL of at most 2000 characters")
    return url


# an absolute http(s) URL; the schema's pattern and lengths say what the check enforces
HttpUrlText = Annotated[str, Field(min_length=8, max_length=2000, pattern=_HTTP_URL, description="An absolute http(s) URL"),
                        BeforeValidator(_absolute_http)]


UavtCode = Annotated[int, BeforeValidator(_ten_digits), Field(description="The 10-digit UAVT address code")]


class Query(BaseModel):
    """Query strings: values arrive as text, so numbers are read from their digits (lax), and
    unknown parameters are ignored."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")


Digits = Annotated[str, Field(pattern=r"^[0-9]+$")]


class PageQuery(Query):
    skip: Annotated[int, Field(ge=0, le=10**9)] = 0
    take: Annotated[int, Field(ge=1, le=100)] = 20
    productBranch: str | None = Field(None, description="KASKO, TRAFIK, ... (any case)")
    state: str | None = Field(None, description="A state of the listed resource (any case)")
