"""Real PDF documents with Turkish text (fpdf2 and a bundled DejaVu subset): the product proposal,
the pre-information form and the comparison of products.

Clients never get bytes from the API: like the real one, it answers ``{"url": ...}`` and the
browser fetches the URL (real-b2c-site §9.3). The URL is signed per agent and generation and the
PDF is rendered from the current state when fetched, so nothing needs storing and a reset agent's
links stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.clock import iso_turkey
from mockserver.core.errors import NotFound, field_error
from mockserver.domain import coverage
from mockserver.domain.catalog import catalog
from mockserver.validators.common import same_secret

if TYPE_CHECKING:
    from mockserver.wire.proposals import Communication
    from mockserver.domain.policies import Policy
    from mockserver.domain.proposals import Proposal, ProposalProduct
    from mockserver.domain.tenant import Agent

KINDS = ("proposal", "information-form", "compare", "policy", "clarification")
TITLES = {"proposal": "Sigorta Teklif Formu", "information-form": "Ön Bilgilendirme Formu",
          "clarification": "Kişisel Verilerin İşlenmesine İlişkin Aydınlatma Metni",
          "compare": "Teklif Karşılaştırma Tablosu", "policy": "Sigorta Poliçesi"}
PAYMENT_NAMES = {"ASYNC_3D_SECURE": "Kredi kartı (3-D Secure)", "ASYNC_INSURANCE_COMPANY_REDIRECT":
                 "Sigorta şirketi ödeme sayfası", "ASYNC_THIRD_PARTY_3D_SECURE": "Kredi kartı (aracı kurum 3-D Secure)",
                 "SYNC_CREDIT_CARD": "Kredi kartı", "SYNC_OPEN_ACCOUNT": "Açık hesap"}
BRANCH_NAMES = {"KASKO": "Kasko", "TRAFIK": "Zorunlu Trafik", "IMM": "İhtiyari Mali Mesuliyet (İMM)",
                "KONUT": "Konut", "DASK": "Zorunlu Deprem Sigortası (DASK)", "TSS": "Tamamlayıcı Sağlık"}
DISCLAIMER = ("Bu belge InsurUp Sandbox tarafından test amacıyla üretilmiştir; gerçek bir sigorta teklifi veya "
              "poliçesi değildir ve hiçbir sigorta şirketini bağlamaz.")


# --------------------------------------------------------------------------- signed links
def _key(agent: "Agent") -> bytes:
    return hashlib.sha256(f"{agent.sandbox.secret}:{agent.id}:{agent.generation}".encode()).digest()


def link(agent: "Agent", base_url: str, kind: str, proposal_id: str, product_ids: list[str],
         excluded: list[str] | None = None) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({"k": kind, "p": proposal_id, "pp": product_ids,
                                                     "x": excluded or []})).decode().rstrip("=")
    sig = hmac.new(_key(agent), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{base_url}/__sandbox/documents/{agent.id}/{payload}.{sig}.pdf"


def read_link(agent: "Agent", token: str) -> dict[str, Any]:
    gone = NotFound("This document link is unknown or expired (the agent was reset).",
                    codes=["DOCUMENT_NOT_FOUND"])
    payload, _, sig = token.removesuffix(".pdf").rpartition(".")
    expected = hmac.new(_key(agent), payload.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]
    if not payload or not same_secret(sig, expected):
        raise gone
    try:
        data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise gone from None
    if data.get("k") not in KINDS:
        raise gone
    return data


# --------------------------------------------------------------------------- rendering
@cache
def document_class() -> type:
    """The PDF class, built on first use: importing fpdf2 (and fontTools) costs a quarter of a second,
    which the server's start should not pay."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Doc(FPDF):
        def __init__(self, title: str, when: datetime):
            super().__init__(format="A4")
            fonts = resources.files("mockserver.data").joinpath("fonts")
            with resources.as_file(fonts.joinpath("DejaVuSans.ttf")) as regular, \
                    resources.as_file(fonts.joinpath("DejaVuSans-Bold.ttf")) as bold:
                self.add_font("DejaVu", "", str(regular))
                self.add_font("DejaVu", "B", str(bold))
            self.set_creation_date(when)
            self.set_title(title)
            self.set_author("InsurUp Sandbox")
            self.set_auto_page_break(True, 18)
            self.doc_title = title
            self.add_page()

        def header(self) -> None:
            self.set_font("DejaVu", "B", 15)
            self.cell(0, 9, self.doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(180, 180, 180)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("DejaVu", "", 7)
            self.multi_cell(0, 3.5, f"{DISCLAIMER}  Sayfa {self.page_no()}")

        def section(self, text: str) -> None:
            self.ln(2)
            self.set_font("DejaVu", "B", 11)
            self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font("DejaVu", "", 9)

        def pairs(self, rows: list[tuple[str, Any]]) -> None:
            self.set_font("DejaVu", "", 9)
            for label, value in rows:
                self.set_font("DejaVu", "B", 9)
                self.cell(55, 5.5, label)
                self.set_font("DejaVu", "", 9)
                self.multi_cell(0, 5.5, "-" if value in (None, "") else str(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        def grid(self, head: list[str], rows: list[list[str]], widths: tuple[int, ...] | None = None) -> None:
            self.set_font("DejaVu", "", 8)
            with self.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
                header = table.row()
                for h in head:
                    header.cell(h)
                for r in rows:
                    row = table.row()
                    for value in r:
                        row.cell(value)

    return _Doc


def _new_doc(title: str, when: datetime) -> Any:
    return document_class()(title, when)


def _when(agent: "Agent") -> str:
    return datetime.fromisoformat(iso_turkey(agent.now())).strftime("%d.%m.%Y %H:%M")


def money(value: float | None) -> str:
    if value is None:
        return "-"
    whole, _, frac = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{frac} TL"


def coverage_text(value: Any) -> str:
    if isinstance(value, str):
        return value.replace("_", " ").title()
    if not isinstance(value, dict):
        return "-"
    kind = value.get("$type")
    if kind == "DECIMAL":
        number = value.get("value", 0)
        return money(number) if number >= 100 else str(number)
    if kind == "DEFINED":
        return f"Yılda {value.get('yillikKullanimSayisi')} kez, {value.get('tekSeferlikGunSayisi')} gün"
    return {"LIMITLESS": "Limitsiz", "INCLUDED": "Dahil", "NOT_INCLUDED": "Dahil değil", "NONE": "Yok",
            "UNDEFINED": "Belirsiz", "HIGHEST_LIMIT": "En yüksek limit"}.get(kind, str(kind))


def _coverage_rows(branch: str, cov: dict[str, Any] | None, excluded: list[str] = ()) -> list[list[str]]:
    if not cov:
        return []
    items = coverage.choice_items(branch)
    return [[items[k]["label"], coverage_text(v)] for k, v in cov.items() if k in items and k not in excluded]


def _parties(agent: "Agent", p: "Proposal | Policy") -> list[tuple[str, Any]]:
    snap = p.snapshot
    rows: list[tuple[str, Any]] = []
    for label, key in (("Sigorta ettiren", "insurerCustomer"), ("Sigortalı", "insuredCustomer")):
        row = snap[key]["row"]
        ident = row.get("IdentityNumber") or row.get("TaxNumber")
        rows.append((label, f"{row['Name']} ({ident})"))
    for extra in snap["additionalInsuredCustomers"]:
        rows.append(("Ek sigortalı", f"{extra.get('fullName') or extra.get('title')} ({extra.get('identityNumber')})"))
    if "vehicle" in snap:
        v = snap["vehicle"]
        plate = f"{v['plate']['city']:02d} {v['plate']['code']}" if v["plate"]["city"] else "-"
        rows += [("Plaka", plate), ("Araç", f"{v['model']['brand']['text']} {v['model']['type']['text']} "
                                             f"({v['model']['year']})"),
                 ("Kullanım tarzı", v["utilizationStyle"])]
    if "property" in snap:
        prop = snap["property"]
        addr = prop["address"]
        line = " ".join(v["text"] for k, v in addr.items() if k not in ("city", "district", "town"))
        rows += [("UAVT adres kodu", prop["number"]), ("Adres", f"{line} {addr['district']['text']}/{addr['city']['text']}"),
                 ("Brüt alan", f"{prop['squareMeter'] or '-'} m²"),
                 ("İnşa yılı", prop["constructionYear"])]
    return rows


def proposal_pdf(agent: "Agent", p: "Proposal", pp: "ProposalProduct", *, info_form: bool = False) -> bytes:
    insurer = catalog().by_id[pp.product.insurer_id]
    when = datetime.fromtimestamp(agent.now(), UTC)
    doc = _new_doc(TITLES["information-form" if info_form else "proposal"], when)
    doc.pairs([("Sigorta şirketi", insurer.name), ("Ürün", pp.product.name),
               ("Branş", BRANCH_NAMES.get(p.branch, p.branch)), ("Teklif no", pp.proposal_number),
               ("InsurUp teklif", p.id), ("Düzenlenme", _when(agent)),
               ("Poliçe dönemi", f"{p.start.strftime('%d.%m.%Y')} - {p.end.strftime('%d.%m.%Y')}")])
    doc.section("Taraflar ve sigorta konusu")
    doc.pairs(_parties(agent, p))
    doc.section("Prim ve taksit seçenekleri")
    doc.grid(["Taksit", "Net prim", "Brüt prim", "Taksit tutarı"],
             [[("Peşin" if x["installmentNumber"] == 1 else f"{x['installmentNumber']} taksit"), money(x["netPremium"]),
               money(x["grossPremium"]), money(round(x["grossPremium"] / x["installmentNumber"], 2))]
              for x in pp.premiums])
    rows = _coverage_rows(p.branch, pp.coverage)
    if rows:
        doc.section("Teminatlar")
        doc.grid(["Teminat", "Limit / durum"], rows, (60, 40))
    if info_form:
        doc.section("Bilgilendirme")
        doc.multi_cell(0, 5, (
            f"{insurer.name}, {BRANCH_NAMES.get(p.branch, p.branch)} ürünü için bu formu 5684 sayılı Sigortacılık "
            "Kanunu ve Sigortacılıkta Bilgilendirme Yapılmasına İlişkin Yönetmelik uyarınca sunar. Sigorta ettiren, "
            "poliçenin tanzim tarihinden itibaren 14 gün içinde cayma hakkını kullanabilir; bu durumda prim gün "
            "esasına göre iade edilir. Şikâyetlerinizi sigorta şirketine veya Sigorta Tahkim Komisyonu'na "
            "iletebilirsiniz. Kişisel verileriniz 6698 sayılı KVKK kapsamında işlenir."))
    return bytes(doc.output())


def clarification_pdf(agent: "Agent", p: "Proposal", pp: "ProposalProduct") -> bytes:
    """The KVKK clarification text (aydınlatma metni) the insurer gives before the sale."""
    insurer = catalog().by_id[pp.product.insurer_id]
    doc = _new_doc(TITLES["clarification"], datetime.fromtimestamp(agent.now(), UTC))
    doc.pairs([("Veri sorumlusu", insurer.name), ("Aracı", agent.name), ("Ürün", pp.product.name),
               ("InsurUp teklif", p.id), ("Düzenlenme", _when(agent))])
    for title, text in (
            ("İşlenen veriler", "Kimlik (T.C. kimlik numarası, ad soyad, doğum tarihi), iletişim (telefon, e-posta, "
             "adres), sigorta konusu (araç veya konut bilgileri) ve teklif, ödeme ve poliçe bilgileriniz."),
            ("İşleme amaçları", "Teklif hazırlanması, poliçe tanzimi, prim tahsilatı, hasar ve müşteri hizmetleri ile "
             "5684 sayılı Sigortacılık Kanunu'ndan doğan yükümlülüklerin yerine getirilmesi."),
            ("Aktarım", "Sigorta şirketine, Sigorta Bilgi ve Gözetim Merkezi'ne (SBM), TRAMER'e ve kanunen yetkili "
             "kurumlara, yalnızca bu amaçlarla."),
            ("Haklarınız", "6698 sayılı KVKK'nın 11. maddesi uyarınca verilerinizin işlenip işlenmediğini öğrenme, "
             "düzeltilmesini veya silinmesini isteme ve işlemeye itiraz etme haklarına sahipsiniz.")):
        doc.section(title)
        doc.multi_cell(0, 5, text)
    return bytes(doc.output())


def compare_pdf(agent: "Agent", p: "Proposal", products: list["ProposalProduct"], excluded: list[str]) -> bytes:
    when = datetime.fromtimestamp(agent.now(), UTC)
    doc = _new_doc(TITLES["compare"], when)
    doc.pairs([("Branş", BRANCH_NAMES.get(p.branch, p.branch)), ("InsurUp teklif", p.id),
               ("Düzenlenme", _when(agent))])
    doc.section("Taraflar ve sigorta konusu")
    doc.pairs(_parties(agent, p))
    doc.section("Teklifler (brüt prime göre)")
    ordered = sorted(products, key=lambda x: x.premiums[0]["grossPremium"] if x.premiums else float("inf"))
    doc.grid(["Sigorta şirketi", "Ürün", "Peşin brüt prim", "En çok taksit", "Teklif no"],
             [[catalog().by_id[x.product.insurer_id].name, x.product.name,
               money(x.premiums[0]["grossPremium"]) if x.premiums else "-",
               str(x.premiums[-1]["installmentNumber"]) if x.premiums else "-", x.proposal_number] for x in ordered])
    items = coverage.choice_items(p.branch)
    keys = [k for k in items if k not in excluded]
    if keys:
        doc.section("Teminat karşılaştırması")
        doc.grid(["Teminat", *[catalog().by_id[x.product.insurer_id].name for x in ordered[:5]]],
                 [[items[k]["label"], *[coverage_text((x.coverage or {}).get(k)) for x in ordered[:5]]]
                  for k in keys])
    return bytes(doc.output())


def policy_pdf(agent: "Agent", policy: "Policy") -> bytes:
    insurer = catalog().by_id[policy.insurance_company_id]
    when = datetime.fromtimestamp(policy.created_at, UTC)
    doc = _new_doc(TITLES["policy"], when)
    state = {"ACTIVE": "Yürürlükte", "CANCELLED": "İptal", "END_OF_LIFE": "Sonlandı"}[policy.state()]
    doc.pairs([("Sigorta şirketi", insurer.name), ("Ürün", policy.product_name),
               ("Branş", BRANCH_NAMES.get(policy.branch, policy.branch)), ("Poliçe no", policy.number),
               ("Yenileme no", 0), ("Durum", state), ("InsurUp poliçe", policy.id),
               ("Tanzim", datetime.fromisoformat(iso_turkey(policy.created_at)).strftime("%d.%m.%Y %H:%M")),
               ("Poliçe dönemi", f"{policy.start.strftime('%d.%m.%Y')} 12:00 - {policy.end.strftime('%d.%m.%Y')} 12:00")])
    doc.section("Taraflar ve sigorta konusu")
    doc.pairs(_parties(agent, policy))
    doc.section("Prim ve ödeme")
    premium = policy.premium
    n = policy.installment
    doc.pairs([("Net prim", money(premium["netPremium"])), ("Vergiler (BSMV)", money(round(premium["grossPremium"]
                                                                                              - premium["netPremium"], 2))),
               ("Brüt prim", money(premium["grossPremium"])),
               ("Ödeme planı", "Peşin" if n == 1 else f"{n} taksit x {money(round(premium['grossPremium'] / n, 2))}"),
               ("Ödeme şekli", PAYMENT_NAMES.get(policy.payment_type, policy.payment_type)),
               ("Teklif no", premium.get("insuranceCompanyProposalNumber"))])
    if len(policy.versions) > 1:
        doc.section("Zeyilnameler")
        doc.grid(["No", "Tür", "Tarih", "Net prim farkı", "Brüt prim farkı"],
                 [[str(v.endorsement_number), "İptal" if v.kind == "CANCELLATION" else str(v.kind),
                   datetime.fromisoformat(iso_turkey(v.at)).strftime("%d.%m.%Y"), money(v.net_change),
                   money(v.gross_change)] for v in policy.versions[1:]])
    doc.section("Önemli bilgiler")
    doc.multi_cell(0, 5, (
        "Bu poliçe, genel şartlar ve özel şartlar çerçevesinde düzenlenmiştir. Sigorta ettiren, poliçenin "
        "tanzim tarihinden itibaren 14 gün içinde cayma hakkını kullanabilir. Hasar ihbarı için sigorta "
        f"şirketinin çağrı merkezini arayınız. Şikâyet: {insurer.name} veya Sigorta Tahkim Komisyonu."))
    return bytes(doc.output())


# ----------------------------------------------------------------------------- where a document is sent
def recipient(comm: "Communication | None", email_default: str | None = None) -> tuple[str, str]:
    """``(channel, to)`` from a documents ``communication`` object (its model checked the address or
    the mobile number): what its type needs beside it."""
    if comm is None:
        raise field_error("communication", 'is required: {"type": "email", "email": ...} or {"type": "sms", '
                          '"phoneNumber": ...}', None)
    if comm.channel == "email":
        to = comm.email or email_default
        if not to:
            raise field_error("communication.email", "is required with type email", None)
        return "email", to
    if comm.channel == "sms":
        if comm.phoneNumber is None:
            raise field_error("communication.phoneNumber", "is required with type sms", None)
        return "sms", comm.phoneNumber.number
    raise field_error("communication.type", "must be email or sms", None)


