"""Cases (sales opportunities, endorsements, cancellations, complaints): their states, notes and activities."""


from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_present, one_of_required
from mockserver.wire.common import Channel, Query, UserReference, ValueRef


class CaseNote(Strict):
    id: str
    note: str = Field(description="The SDK's Note.note")
    content: str = Field(description="The same text (the earlier name)")
    createdAt: str
    createdBy: UserReference | None


class PriorityRuleHitOut(Strict):
    name: str
    label: str
    description: str
    score: float


class CasePriorityOut(Strict):
    totalScore: float
    ruleHits: list[PriorityRuleHitOut]
    assessedAt: str


class CaseStates(Strict):
    mainState: str
    subState: str


class CreatedData(CaseStates):
    source: str | None = Field(None, description="The request's source, when it gave one")


class StateChangedData(Strict):
    from_: CaseStates = Field(alias="from")
    to: CaseStates


class NoteAddedData(Strict):
    noteId: str


class ChannelChangedData(Strict):
    from_: str | None = Field(alias="from")
    to: str


class AssetChangedData(Strict):
    assetType: str | None
    assetId: str | None


class BranchChangedData(Strict):
    agentBranchId: str | None


class RepresentativeChangedData(Strict):
    representedBy: UserReference | None
    assignmentMode: str | None = Field(None, description="The agency's caseRepresentativeAssignmentMode, when the "
                                                         "representative was assigned automatically")


class ProposalLinkedData(Strict):
    proposalId: str


class PolicyLinkedData(Strict):
    policyId: str


class _CaseActivity(Strict):
    id: str
    createdAt: str
    createdBy: UserReference | None


class CreatedActivity(_CaseActivity):
    type: Literal["CREATED"]
    data: CreatedData


class StateChangedActivity(_CaseActivity):
    type: Literal["STATE_CHANGED"]
    data: StateChangedData


class NoteAddedActivity(_CaseActivity):
    type: Literal["NOTE_ADDED"]
    data: NoteAddedData


class ChannelChangedActivity(_CaseActivity):
    type: Literal["CHANNEL_CHANGED"]
    data: ChannelChangedData


class AssetChangedActivity(_CaseActivity):
    type: Literal["ASSET_CHANGED"]
    data: AssetChangedData


class BranchChangedActivity(_CaseActivity):
    type: Literal["BRANCH_CHANGED"]
    data: BranchChangedData


class RepresentativeChangedActivity(_CaseActivity):
    type: Literal["REPRESENTATIVE_CHANGED"]
    data: RepresentativeChangedData


class ProposalLinkedActivity(_CaseActivity):
    type: Literal["PROPOSAL_LINKED"]
    data: ProposalLinkedData


class PolicyLinkedActivity(_CaseActivity):
    type: Literal["POLICY_LINKED"]
    data: PolicyLinkedData


CaseActivity = Annotated[CreatedActivity | StateChangedActivity | NoteAddedActivity | ChannelChangedActivity
                         | AssetChangedActivity | BranchChangedActivity | RepresentativeChangedActivity
                         | ProposalLinkedActivity | PolicyLinkedActivity, Field(discriminator="type")]


class CaseOut(Strict):
    id: str
    ref: str
    type: Literal["SALE_OPPORTUNITY", "ENDORSEMENT", "CANCEL", "COMPLAINT"]
    status: Literal["OPEN", "DELAYED", "SUCCESS", "FAIL"]
    mainState: Literal["FAIL", "OPEN", "IN_PROGRESS", "SUCCESS"]
    subState: str
    caseSubType: str = Field(description="The SDK's: the sub-type of the case's type (the union's member)")
    saleOpportunitySubType: str | None
    cancelSubType: str | None
    endorsementSubType: str | None
    complaintSubType: str | None
    productBranch: str | None
    channel: str
    customerId: str
    customerType: Literal["INDIVIDUAL", "COMPANY", "FOREIGN"] | None
    customerName: str | None
    agentBranchId: str | None
    createdAt: str
    createdBy: UserReference | None
    # the SDK's optional fields: left out when unset, never null
    baseProductBranch: str | None = Field(None, description="the case's product branch (SDK name)")
    assetType: Literal["VEHICLE", "PROPERTY"] | None = None
    assetId: str | None = None
    representedBy: UserReference | None = None
    sourceCaseId: str | None = None
    sourceCaseRef: str | None = None
    policyEndDate: str | None = None
    policyId: str | None = Field(None, description="a cancellation's or an endorsement's policy")
    priority: CasePriorityOut | None = Field(None, description="when an agency priority rule matches the case")
    lastUpdateDate: str
    lastUpdatedBy: UserReference | None
    proposalIds: list[str]
    policyIds: list[str]
    proposalCount: int
    policyCount: int
    lastProposalDate: str | None
    lastPolicyDate: str | None
    notes: list[CaseNote]
    advertisingSource: str | None
    advertisingCampaign: str | None


CaseEnum = str | ValueRef


class CaseCreateRequest(Wire):
    customerId: str | None = Field(None, description="Required for agent tokens; a customer token may omit it")
    productBranch: CaseEnum | None = Field(None, description="Required for sale opportunities (or type): KASKO, "
                                                              "TRAFIK, ... in any case")
    type: CaseEnum | None = Field(None, description="The web-sales guide's name for productBranch (kasko, trafik, "
                                                    "tss...); must agree with productBranch when both are sent")
    channel: CaseEnum | None = Field(None, description="WEBSITE, MOBILE_APP (MOBILE accepted), CALL_CENTER, ... in "
                                                       "any case")
    source: str | None = Field(None, description="The web-sales guide's lead source (web_sales_platform, "
                                                 "b2c_website); kept in the case's CREATED activity")
    assetType: CaseEnum | None = Field(None, description="VEHICLE or PROPERTY (inferred from assetId)")
    assetId: str | None = None
    customerAssetReference: str | None = Field(None, description="Real-site lead forms: same as assetId")
    agentBranchId: str | None = None
    subType: CaseEnum | None = Field(None, description="Cancel/endorsement/complaint sub-type")
    cancelSubType: CaseEnum | None = None
    endorsementSubType: CaseEnum | None = None
    complaintSubType: CaseEnum | None = None
    sourceCaseId: str | None = None
    note: str | None = None
    advertisingSource: str | None = None
    advertisingCampaign: str | None = None


class CaseStateRequest(Wire):
    mainState: CaseEnum = Field(description="FAIL, OPEN, IN_PROGRESS or SUCCESS")
    subState: CaseEnum = Field(description="A sub-state of mainState that applies to the case type")
    note: str | None = None


NoteText = Annotated[str, Field(min_length=1, max_length=10_000, pattern=r"\S")]  # (not blank)


class CaseNoteRequest(Wire):
    model_config = ConfigDict(json_schema_extra=one_of_required(("note", "content", "text")))

    note: NoteText | None = Field(None, description="Markdown (the SDK's AddNoteToCaseRequest.note)")
    content: NoteText | None = Field(None, description="Same as note")
    text: NoteText | None = Field(None, description="Same as note")

    def given(self) -> str | None:
        return next((t for t in (self.note, self.content, self.text) if t is not None), None)


class CaseChannelRequest(Wire):
    channel: Channel


class CaseAssetRequest(Wire):
    """At least one of assetId / customerAssetReference is sent; null detaches the asset."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("assetId", "customerAssetReference")))

    assetType: CaseEnum | None = None
    assetId: str | None = Field(None, description="A vehicle or property of the case's customer; null detaches")
    customerAssetReference: str | None = None


class CaseBranchRequest(Wire):
    """agentBranchId (or branchId) is sent; null moves the case out of any branch."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("agentBranchId", "branchId")))

    agentBranchId: Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")] | None = None
    branchId: Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")] | None = Field(
        None, description="Same as agentBranchId")


class CaseRepresentativeRequest(Wire):
    """representativeId (or agentUserId, representedById) is sent; null removes the representative."""

    model_config = ConfigDict(json_schema_extra=one_of_present(("representativeId", "agentUserId",
                                                                "representedById")))

    representativeId: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="An agent user's id; null removes the representative")
    agentUserId: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as representativeId")
    representedById: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as representativeId")


class CaseRefQuery(Query):
    caseRef: Annotated[str, Field(max_length=40)] | None = Field(None, description="Only this case's")


class DuplicateCaseRef(Strict):
    id: str
    ref: str


class CaseDuplicates(Strict):
    customerId: str
    productBranch: str | None
    cases: list[DuplicateCaseRef]
