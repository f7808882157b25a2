"""A customer's e-mails, phone numbers, addresses, contacts and contact flows, branch and representative
(reference A.4, the .NET SDK's Customer client)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import contacts
from mockserver.http.answers import identified
from mockserver.http.framework import AGENT_USER, Ctx, no_content, ok, Routes
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_address_made = renderer(w.AddressCreated, None, addressId="id")

C = "/customers/{customerId}"
routes = Routes(*(C + "/" + part for part in ("emails", "phone-numbers", "addresses", "contacts", "contact-flows",
                                              "branch", "representative")),
                resource="customer", permissions=("customers:read", "customers:write"))


def _customer(ctx: Ctx):
    return ctx.customer(ctx.params["customerId"])


# ----------------------------------------------------------------------------- e-mails
@routes("GET", C + "/emails", summary="A customer's e-mails (the primary first)", tag="customers",
       response=list[w.CustomerEmailOut])
async def list_emails(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(contacts.emails(ctx.agent, c))


@routes("POST", C + "/emails", summary="Add an e-mail (isPrimary: true makes it the primary)", tag="customers",
       request=w.CustomerEmailRequest, status=204)
async def add_email(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.add_email(ctx.agent, c, await ctx.model(), ctx.actor())
    return no_content()


@routes("GET", C + "/emails/primary", summary="The customer's primary e-mail", tag="customers",
       response=w.CustomerEmailOut)
async def primary_email(ctx: Ctx) -> Response:
    return ok(contacts.primary_email(_customer(ctx)))


@routes("DELETE", C + "/emails/{email}", summary="Remove an e-mail (not the primary while there are others)",
       tag="customers", status=204)
async def delete_email(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.delete_email(ctx.agent, c, ctx.params["email"], ctx.actor())
    return no_content()


@routes("PUT", C + "/emails/{email}/primary", summary="Make one of the customer's e-mails the primary",
       tag="customers", status=204)
async def make_primary_email(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.make_primary_email(ctx.agent, c, ctx.params["email"], ctx.actor())
    return no_content()


# ----------------------------------------------------------------------------- phone numbers
@routes("GET", C + "/phone-numbers", summary="A customer's phone numbers (the primary first)", tag="customers",
       response=list[w.CustomerPhoneOut])
async def list_phones(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(contacts.phones(ctx.agent, c))


@routes("POST", C + "/phone-numbers", summary="Add a phone number (isPrimary: true makes it the primary)",
       tag="customers", request=w.CustomerPhoneRequest, status=204)
async def add_phone(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.add_phone(ctx.agent, c, await ctx.model(), ctx.actor())
    return no_content()


@routes("GET", C + "/phone-numbers/primary", summary="The customer's primary phone number", tag="customers",
       response=w.CustomerPhoneOut)
async def primary_phone(ctx: Ctx) -> Response:
    return ok(contacts.primary_phone(_customer(ctx)))


@routes("DELETE", C + "/phone-numbers/{phone}", summary="Remove a phone number, named {countryCode}-{number}",
       tag="customers", status=204)
async def delete_phone(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.delete_phone(ctx.agent, c, ctx.params["phone"], ctx.actor())
    return no_content()


# ----------------------------------------------------------------------------- addresses
@routes("GET", C + "/addresses", summary="A customer's addresses", tag="customers", response=list[w.CustomerAddressOut])
async def list_addresses(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok([contacts.address_wire(a) for a in contacts.addresses(ctx.agent, c)])


@routes("POST", C + "/addresses", summary="Add an address (city and district codes of address-parameters)",
       tag="customers", request=w.CustomerAddressRequest, response=w.AddressCreated)
async def add_address(ctx: Ctx) -> Response:
    c = _customer(ctx)
    made = contacts.save_address(ctx.agent, c, await ctx.model(), ctx.actor())
    return ok(_address_made(made))


@routes("GET", C + "/addresses/{addressId}", summary="One address", tag="customers", response=w.CustomerAddressOut)
async def get_address(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(contacts.address_wire(contacts.address(ctx.agent, c, ctx.params["addressId"])))


@routes("PUT", C + "/addresses/{addressId}", summary="Change an address (absent fields are kept)", tag="customers",
       request=w.CustomerAddressUpdate, status=204)
async def update_address(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.save_address(ctx.agent, c, await ctx.model(), ctx.actor(),
                          contacts.address(ctx.agent, c, ctx.params["addressId"]))
    return no_content()


@routes("DELETE", C + "/addresses/{addressId}", summary="Remove an address", tag="customers", status=204)
async def delete_address(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.delete_address(ctx.agent, c, contacts.address(ctx.agent, c, ctx.params["addressId"]), ctx.actor())
    return no_content()


# ----------------------------------------------------------------------------- the rest of the customer page
@routes("GET", C + "/contacts", summary="The agency's contacts with the customer (phone calls), newest first",
       tag="customers", query=w.CaseRefQuery, response=list[w.CustomerContactOut])
async def get_contacts(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(contacts.contacts_wire(ctx.agent, c, ctx.q.caseRef))


@routes("POST", C + "/contacts", summary="Record a phone call with the customer (now, or planned for plannedTime)",
       tag="customers", request=w.CustomerContactRequest, response=w.IdResponse)
async def create_contact(ctx: Ctx) -> Response:
    c = _customer(ctx)
    user = ctx.principal.subject if ctx.principal is not None and ctx.principal.kind == AGENT_USER else None
    made = contacts.create_contact(ctx.agent, c, await ctx.model(required=False), ctx.actor(), user)
    return ok(identified(made))


@routes("GET", C + "/contact-flows", summary="The customer's contact flows, newest first (?caseRef: one case's)",
       tag="customers", query=w.CaseRefQuery, response=list[w.ContactFlowOut])
async def contact_flows(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(contacts.flows_wire(ctx.agent, c, ctx.q.caseRef))


@routes("POST", C + "/contact-flows", summary="Start a contact flow with the customer (a name; caseRef optional)",
       tag="customers", request=w.ContactFlowRequest, response=w.IdResponse)
async def create_contact_flow(ctx: Ctx) -> Response:
    c = _customer(ctx)
    return ok(identified(contacts.create_flow(ctx.agent, c, await ctx.model(), ctx.actor())))


@routes("POST", C + "/contact-flows/{contactFlowId}/end", summary="End a contact flow (SUCCEEDED, or state: FAILED)",
       tag="customers", request=w.EndContactFlowRequest, status=204)
async def end_contact_flow(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.end_flow(ctx.agent, contacts.flow(ctx.agent, c, ctx.params["contactFlowId"]),
                      await ctx.model(required=False))
    return no_content()


@routes("PUT", C + "/branch", summary="Put the customer in a branch (null: none)", tag="customers",
       request=w.CustomerBranchRequest, status=204)
async def set_branch(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.set_branch(ctx.agent, c, await ctx.model(), ctx.actor())
    return no_content()


@routes("PUT", C + "/representative", summary="Give the customer a representative (an agent user; null: none)",
       tag="customers", request=w.CustomerRepresentativeRequest, status=204)
async def set_representative(ctx: Ctx) -> Response:
    c = _customer(ctx)
    contacts.set_representative(ctx.agent, c, await ctx.model(), ctx.actor())
    return no_content()
