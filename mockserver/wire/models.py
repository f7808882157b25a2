"""Every wire model by name (``from mockserver.wire import models as w``; ``w.CustomerOut``): the
models are declared by resource in the modules beside this one, and ``contracts/openapi.json`` is
generated from them. Request models list every accepted variant (``birthDate`` and ``birthday``,
``$type`` and ``type``, numbers or strings); the domain does the semantic checks and names the
offending field. Answers are checked against their models by the test suite
(``mockserver.http.conformance``)."""


from mockserver.wire.base import (
    Shape, Strict, Wire, non_null, one_of_present, one_of_required,
)
from mockserver.wire.coverage import (
    Coverage, CoverageChoice, CoverageChoices, CoverageOut, CoverageValue,
)
from mockserver.wire.common import (
    DateText, Digits, DocumentUrl, EnumName, EnumNames, Enumish, IdResponse, IsoDate, Money, NamedOut,
    PageQuery, PaymentOption, PhoneIn, PhoneNumberOut, PhoneOut, Problem, Query, RefOut, ReferenceIn, ShortText,
    UserReference, ValidationErrorOut, ValueRef, ValueText,
)
from mockserver.wire.auth import (
    AgentBranchRef, AgentUserLoginRequest, AgentUserLoginResponse, AgentUserMe, AgentUserVerifyRequest,
    AuthorizeQuery, CustomerLoginRequest, CustomerLoginResponse, EcJwk, Introspection, Jwk, Jwks, LoginForm,
    LogoutQuery, OAuthClientOut, OAuthClientRequest, OAuthErrorOut, OpenIdConfiguration, PermissionOut,
    PushedAuthorization, RefreshRequest, RoleOut, TokenForm, TokenGrant, TokenRequest, TokenResponse, UserInfo,
    VerifyMfaRequest,
)
from mockserver.wire.agency import (
    AcceptInvite, AgentBranchOut, AgentBranchRequest, AgentBranchUpdate, AgentOut, AgentRoleOut, AgentRoleRequest,
    AgentRoleUpdate, AgentUpdate, AgentUserInvite, AgentUserOut, AgentUserUpdate, ApiClientOut, ApiClientRequest,
    ApiClientUpdate, CallCenterAloTech, CallCenterNone, CallCenterOptions, CampaignKeyMapping, CasePriorityRule,
    CasePriorityRuleOut, InviteCheck, InviteCodeQuery, PasswordChange, PriorityTemplateOut, PriorityTemplatesOut,
    RobotCode, RolePermissionIn, RuleArguments, SmsArtiKurumsal, SmsDefault, SmsOptions, SmsTeknomart, SmsVerimor,
)
from mockserver.wire.setup import (
    ActivatePluginRequest, B2CConfig, B2CConfigField, B2CConfigFieldOut, B2CConfigOut, FileUpload, LanguageOut,
    PluginConfigRequest, PluginConsoleLineOut, PluginDetailOut, PluginInvocationLogOut, PluginLogsQuery,
    PluginPriorityRequest, PluginSummaryOut, PluginVersionOut, SetupAgent, SetupAgentUser, SetupBranch, SetupCode,
    SetupCompany, SetupComplete, SetupEntered, SetupRequestCreate, SetupRequestOut, TemplateDefinitionOut,
    TemplateDetailOut, TemplateMetadata, TemplateOut, TemplateQuery, TemplateUpdate, UploadedFile,
)
from mockserver.wire.catalog import (
    BankBranchOut, BranchesRequest, ConnectionOut, ConnectionRequest, ConnectionUpdateRequest, CredentialFieldOut,
    CredentialValues, InsuranceCompany, ProductOut,
)
from mockserver.wire.customers import (
    AddressCreated, ConsentOut, ConsentRequest, ContactFlowOut, ContactFlowRequest, ContactFormOut,
    ContactFormReceived, ContactFormRequest, CustomerAddressOut, CustomerAddressRequest, CustomerAddressUpdate,
    CustomerAssetsOut, CustomerBranchRequest, CustomerContactOut, CustomerContactRequest, CustomerCreateRequest,
    CustomerEmailOut, CustomerEmailRequest, CustomerLookupOut, CustomerLookupRequest, CustomerOut, CustomerPhoneOut,
    CustomerPhoneRequest, CustomerRepresentativeRequest, CustomerUpdateRequest, EndContactFlowRequest, HealthInfo,
    HealthInfoRequest, RelationshipOut, RelationshipRequest,
)
from mockserver.wire.vehicles import (
    AccessoryIn, AccessoryOut, BankBranchRef, BankRef, BrandCodeModelOut, BrandCodeQueryRequest, DocumentSerial,
    DocumentSerialIn, FuelIn, FuelOut, LookupPlate, LossPayeeClause, ModelsQuery, PlateIn, PlateOut,
    VehicleLookupOut, VehicleLookupRequest, VehicleModelOut, VehicleOldPolicy, VehicleOut, VehicleRequest,
    VehicleUpdateRequest,
)
from mockserver.wire.properties import (
    AddressOut, DaskPolicyOut, DaskQueryRequest, FloorIn, FloorOut, FloorRange, FloorRangeIn, NewPropertyResponse,
    PropertyOut, PropertyRequest, PropertyUpdateRequest, Uavt, UavtQuery, UavtQueryRequest, cascade_query,
)
from mockserver.wire.cases import (
    AssetChangedActivity, AssetChangedData, BranchChangedActivity, BranchChangedData, CaseActivity,
    CaseAssetRequest, CaseBranchRequest, CaseChannelRequest, CaseCreateRequest, CaseDuplicates, CaseEnum, CaseNote,
    CaseNoteRequest, CaseOut, CaseRefQuery, CaseRepresentativeRequest, CaseStateRequest, CaseStates,
    ChannelChangedActivity, ChannelChangedData, CreatedActivity, CreatedData, DuplicateCaseRef, NoteAddedActivity,
    NoteAddedData, PolicyLinkedActivity, PolicyLinkedData, ProposalLinkedActivity, ProposalLinkedData,
    RepresentativeChangedActivity, RepresentativeChangedData, StateChangedActivity, StateChangedData,
)
from mockserver.wire.proposals import (
    BranchQuery, ChoicesQuery, Communication, CompareQuery, CompareRequest, CoverageGroupOut, CoverageGroupRequest,
    CoverageGroupTable, CoverageGroupUpdateRequest, DocumentSendRequest, EmailValue, GroupId, HealthOut,
    KonutOptions, Premium, PremiumDetail, ProductReviseRequest, ProductRevised, ProposalCreateRequest,
    ProposalCreated, ProposalList, ProposalListItem, ProposalOut, ProposalProductOut, ProposalRef,
    ProposalReviseRequest, ProposalSnapshot, ProposalState, PurchaseStatus, SnapshotCompany, SnapshotCustomer,
    SnapshotPerson,
)
from mockserver.wire.purchases import (
    CardIn, CardOut, PageKeyQuery, PaymentCompleteRequest, PaymentCompleted, PaymentOut, PaymentPageForm,
    PaymentStep, PurchaseAsyncRequest, PurchaseAsyncResponse, PurchaseSyncRequest, PurchaseSyncResponse,
)
from mockserver.wire.policies import (
    FilePolicyTransferDetailOut, FilePolicyTransferOut, FilePolicyTransferUpload, ManualPolicyRequest,
    ManualPolicyUpdate, PolicyCancelRequest, PolicyDocumentSendRequest, PolicyIdOut, PolicyList, PolicyListItem,
    PolicyOut, PolicyPremium, PolicyRef, PolicyRow, PolicySnapshot, PolicyTransferOut, PolicyTransferRequest,
    PolicyTransferTriggerOut, PolicyVersionOut, RecordBranchRequest, RepresentativeRequest, TransferredPolicyOut,
    TriggerCompanyOut,
)
from mockserver.wire.webhooks import (
    DeliveriesQuery, DeliveryAttempt, Flushed, WebhookDeliveryOut, WebhookOut, WebhookRequest, WebhookUpdateRequest,
)
from mockserver.wire.analytics import (
    AnalyticsRequest, AnalyticsWindow, BacklogAges, BacklogOut, BacklogRow, BranchShare, ConversionPoint,
    ConversionTrendOut, CountAndPremiumOut, DistributionOut, EarningsOut, EarningsRow, FailedReason,
    FailedReasonsOut, FunnelStage, MoneyPoint, PolicyMoney, RenewalOut, RenewalPolicy, SalesFunnelOut,
)
from mockserver.wire.control import (
    AgentCreated, AgentFixtureRequest, CertificationCreated, CertificationEvidence, CertificationKeys,
    CertificationModuleOut, CertificationRequest, CertificationScope, CertificationScopeOut, CertificationStatus,
    CertificationSteerRequest, ClockJump, ClockOut, ClockRequest, ConnectionFixture, Credentials, EventOut,
    EventsQuery, EvidenceEvent, EvidencePayment, EvidenceRequest, Health, JournalEntry, MagicValue, OutboxMessage,
    Settled, ShippedSnapshot, SmsOut, SmsQuery, SnapshotCounts, SnapshotQuery, UserCredentials,
)
from mockserver.wire.graphql import (
    GraphQLErrorOut, GraphQLExtensions, GraphQLIntrospection, GraphQLQuery, GraphQLRequest, GraphQLResponse, GraphQLWarning,
)

__all__ = [
    "Shape", "Strict", "Wire", "non_null", "one_of_present", "one_of_required", "Coverage", "CoverageChoice",
    "CoverageChoices", "CoverageOut", "CoverageValue", "DateText", "Digits", "DocumentUrl", "EnumName", "EnumNames",
    "Enumish", "IdResponse", "IsoDate", "Money", "NamedOut", "PageQuery", "PaymentOption", "PhoneIn",
    "PhoneNumberOut", "PhoneOut", "Problem", "Query", "RefOut", "ReferenceIn", "ShortText", "UserReference",
    "ValidationErrorOut", "ValueRef", "ValueText", "AgentBranchRef", "AgentUserLoginRequest",
    "AgentUserLoginResponse", "AgentUserMe", "AgentUserVerifyRequest", "AuthorizeQuery", "CustomerLoginRequest",
    "CustomerLoginResponse", "EcJwk", "Introspection", "Jwk", "Jwks", "LoginForm", "LogoutQuery", "OAuthClientOut",
    "OAuthClientRequest", "OAuthErrorOut", "OpenIdConfiguration", "PermissionOut", "PushedAuthorization",
    "RefreshRequest", "RoleOut", "TokenForm", "TokenGrant", "TokenRequest", "TokenResponse", "UserInfo",
    "VerifyMfaRequest", "AcceptInvite", "AgentBranchOut", "AgentBranchRequest", "AgentBranchUpdate", "AgentOut",
    "AgentRoleOut", "AgentRoleRequest", "AgentRoleUpdate", "AgentUpdate", "AgentUserInvite", "AgentUserOut",
    "AgentUserUpdate", "ApiClientOut", "ApiClientRequest", "ApiClientUpdate", "CallCenterAloTech", "CallCenterNone",
    "CallCenterOptions", "CampaignKeyMapping", "CasePriorityRule", "CasePriorityRuleOut", "InviteCheck",
    "InviteCodeQuery", "PasswordChange", "PriorityTemplateOut", "PriorityTemplatesOut", "RobotCode",
    "RolePermissionIn", "RuleArguments", "SmsArtiKurumsal", "SmsDefault", "SmsOptions", "SmsTeknomart",
    "SmsVerimor", "ActivatePluginRequest", "B2CConfig", "B2CConfigField", "B2CConfigFieldOut", "B2CConfigOut",
    "FileUpload", "LanguageOut", "PluginConfigRequest", "PluginConsoleLineOut", "PluginDetailOut",
    "PluginInvocationLogOut", "PluginLogsQuery", "PluginPriorityRequest", "PluginSummaryOut", "PluginVersionOut",
    "SetupAgent", "SetupAgentUser", "SetupBranch", "SetupCode", "SetupCompany", "SetupComplete", "SetupEntered",
    "SetupRequestCreate", "SetupRequestOut", "TemplateDefinitionOut", "TemplateDetailOut", "TemplateMetadata",
    "TemplateOut", "TemplateQuery", "TemplateUpdate", "UploadedFile", "BankBranchOut", "BranchesRequest",
    "ConnectionOut", "ConnectionRequest", "ConnectionUpdateRequest", "CredentialFieldOut", "CredentialValues",
    "InsuranceCompany", "ProductOut", "AddressCreated", "ConsentOut", "ConsentRequest", "ContactFlowOut",
    "ContactFlowRequest", "ContactFormOut", "ContactFormReceived", "ContactFormRequest", "CustomerAddressOut",
    "CustomerAddressRequest", "CustomerAddressUpdate", "CustomerAssetsOut", "CustomerBranchRequest",
    "CustomerContactOut", "CustomerContactRequest", "CustomerCreateRequest", "CustomerEmailOut",
    "CustomerEmailRequest", "CustomerLookupOut", "CustomerLookupRequest", "CustomerOut", "CustomerPhoneOut",
    "CustomerPhoneRequest", "CustomerRepresentativeRequest", "CustomerUpdateRequest", "EndContactFlowRequest",
    "HealthInfo", "HealthInfoRequest", "RelationshipOut", "RelationshipRequest", "AccessoryIn", "AccessoryOut",
    "BankBranchRef", "BankRef", "BrandCodeModelOut", "BrandCodeQueryRequest", "DocumentSerial", "DocumentSerialIn",
    "FuelIn", "FuelOut", "LookupPlate", "LossPayeeClause", "ModelsQuery", "PlateIn", "PlateOut", "VehicleLookupOut",
    "VehicleLookupRequest", "VehicleModelOut", "VehicleOldPolicy", "VehicleOut", "VehicleRequest",
    "VehicleUpdateRequest", "AddressOut", "DaskPolicyOut", "DaskQueryRequest", "FloorIn", "FloorOut", "FloorRange",
    "FloorRangeIn", "NewPropertyResponse", "PropertyOut", "PropertyRequest", "PropertyUpdateRequest", "Uavt",
    "UavtQuery", "UavtQueryRequest", "cascade_query", "AssetChangedActivity", "AssetChangedData",
    "BranchChangedActivity", "BranchChangedData", "CaseActivity", "CaseAssetRequest", "CaseBranchRequest",
    "CaseChannelRequest", "CaseCreateRequest", "CaseDuplicates", "CaseEnum", "CaseNote", "CaseNoteRequest",
    "CaseOut", "CaseRefQuery", "CaseRepresentativeRequest", "CaseStateRequest", "CaseStates",
    "ChannelChangedActivity", "ChannelChangedData", "CreatedActivity", "CreatedData", "DuplicateCaseRef",
    "NoteAddedActivity", "NoteAddedData", "PolicyLinkedActivity", "PolicyLinkedData", "ProposalLinkedActivity",
    "ProposalLinkedData", "RepresentativeChangedActivity", "RepresentativeChangedData", "StateChangedActivity",
    "StateChangedData", "BranchQuery", "ChoicesQuery", "Communication", "CompareQuery", "CompareRequest",
    "CoverageGroupOut", "CoverageGroupRequest", "CoverageGroupTable", "CoverageGroupUpdateRequest",
    "DocumentSendRequest", "EmailValue", "GroupId", "HealthOut", "KonutOptions", "Premium",
    "PremiumDetail", "ProductReviseRequest", "ProductRevised", "ProposalCreateRequest", "ProposalCreated",
    "ProposalList", "ProposalListItem", "ProposalOut", "ProposalProductOut", "ProposalRef", "ProposalReviseRequest",
    "ProposalSnapshot", "ProposalState", "PurchaseStatus", "SnapshotCompany", "SnapshotCustomer", "SnapshotPerson",
    "CardIn", "CardOut", "PageKeyQuery", "PaymentCompleteRequest", "PaymentCompleted", "PaymentOut",
    "PaymentPageForm", "PaymentStep", "PurchaseAsyncRequest", "PurchaseAsyncResponse", "PurchaseSyncRequest",
    "PurchaseSyncResponse", "FilePolicyTransferDetailOut", "FilePolicyTransferOut", "FilePolicyTransferUpload",
    "ManualPolicyRequest", "ManualPolicyUpdate", "PolicyCancelRequest", "PolicyDocumentSendRequest", "PolicyIdOut",
    "PolicyList", "PolicyListItem", "PolicyOut", "PolicyPremium", "PolicyRef", "PolicyRow", "PolicySnapshot",
    "PolicyTransferOut", "PolicyTransferRequest", "PolicyTransferTriggerOut", "PolicyVersionOut",
    "RecordBranchRequest", "RepresentativeRequest", "TransferredPolicyOut", "TriggerCompanyOut", "DeliveriesQuery",
    "DeliveryAttempt", "Flushed", "WebhookDeliveryOut", "WebhookOut", "WebhookRequest", "WebhookUpdateRequest",
    "AnalyticsRequest", "AnalyticsWindow", "BacklogAges", "BacklogOut", "BacklogRow", "BranchShare",
    "ConversionPoint", "ConversionTrendOut", "CountAndPremiumOut", "DistributionOut", "EarningsOut", "EarningsRow",
    "FailedReason", "FailedReasonsOut", "FunnelStage", "MoneyPoint", "PolicyMoney", "RenewalOut", "RenewalPolicy",
    "SalesFunnelOut", "AgentCreated", "AgentFixtureRequest", "CertificationCreated", "CertificationEvidence",
    "CertificationKeys", "CertificationModuleOut", "CertificationRequest", "CertificationScope",
    "CertificationScopeOut", "CertificationStatus", "CertificationSteerRequest", "ClockJump", "ClockOut",
    "ClockRequest", "ConnectionFixture", "Credentials", "EventOut", "EventsQuery", "EvidenceEvent",
    "EvidencePayment", "EvidenceRequest", "Health", "JournalEntry", "MagicValue", "OutboxMessage", "Settled",
    "ShippedSnapshot", "SmsOut", "SmsQuery", "SnapshotCounts", "SnapshotQuery", "UserCredentials",
    "GraphQLErrorOut", "GraphQLExtensions", "GraphQLIntrospection", "GraphQLQuery", "GraphQLRequest", "GraphQLResponse", "GraphQLWarning",
]
