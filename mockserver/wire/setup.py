"""What an agency configures beyond its people: onboarding (agent-setup-requests), the B2C site's settings, message templates, plugins, languages and public files."""


from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from mockserver.wire.base import Strict, Wire, one_of_required
from mockserver.wire.agency import RobotMode, StrongPassword
from mockserver.wire.common import EmailText, NameText, PhoneIn, Query, Vkn, digits_as_int


class LanguageOut(Strict):
    id: int
    name: str
    code: str
    nativeName: str
    englishName: str


class TemplateOut(Strict):
    key: str
    languageId: int
    name: str
    description: str | None
    content: str = Field(description="Text with {{ variables }} (templates/definitions names them) and {% if %}")


class TemplateDetailOut(TemplateOut):
    jsonSchema: dict[str, Any] = Field(description="The variables the content may use; required: those it must")


class TemplateMetadata(Strict):
    channel: Literal["sms", "email"]
    usedFor: str
    syntax: str
    filters: list[str]
    sentInLanguageId: int


class TemplateDefinitionOut(Strict):
    key: str
    jsonSchema: dict[str, Any] = Field(description="A JSON Schema (draft 2020-12) of the variables: itself a "
                                                   "document, not a shape of this API")
    metadata: TemplateMetadata


def _language_id(value: Any) -> Any:
    value = digits_as_int(value)
    if value not in (1, 2) or isinstance(value, bool):
        raise ValueError("must be a language id of GET /api/languages (1 Türkçe, 2 English)")
    return value


class TemplateUpdate(Wire):
    key: Annotated[str, Field(max_length=100)] | None = Field(None, description="Must equal the path's, when given")
    languageId: Annotated[Literal[1, 2], BeforeValidator(_language_id)] | None = Field(
        None, description="1 Türkçe, 2 English (GET /api/languages); also as its digits",
        json_schema_extra={"x-error-code": "TEMPLATE_LANGUAGE_INVALID"})
    name: NameText | None = Field(
        None, description="Kept when absent")
    description: Annotated[str, Field(max_length=1000)] | None = Field(None, description="Kept when absent; null clears")
    content: Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S")] | None = Field(
        None, description="The template's text, its placeholders checked; kept when absent")

    model_config = ConfigDict(json_schema_extra=one_of_required(("languageId",), x_error_code="TEMPLATE_INVALID"))


class SetupRequestCreate(Wire):
    label: NameText | None = Field(None, description="Shown to the agency when it enters the code")
    validDays: Annotated[int, Field(ge=1, le=365)] | None = Field(None, description="How long the code works (7)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("label",), x_error_code="AGENT_SETUP_REQUEST_INVALID"))


class SetupRequestOut(Strict):
    id: str
    label: str
    status: Literal["PENDING", "COMPLETED", "DISABLED", "EXPIRED"]
    createdAt: str
    expiresAt: str
    agentId: str | None = Field(description="The agency it made, once completed")
    completedAt: str | None
    code: str = Field(description="What the agency enters (agent-setup-requests/enter and /complete)")


class SetupCode(Wire):
    code: Annotated[str, Field(max_length=100)] | None = Field(None, description="From InsurUp (the sandbox: POST "
                                                                                "/__sandbox/agent-setup-requests)")

    model_config = ConfigDict(json_schema_extra=one_of_required(("code",), x_error_code="AGENT_SETUP_REQUEST_CODE_REQUIRED"))


class SetupEntered(Strict):
    label: str


class SetupBranch(Wire):
    productBranch: Annotated[str, Field(max_length=64)] | None = None
    productIds: Annotated[list[int], Field(max_length=200)] | None = None


class SetupCompany(Wire):
    type: Literal["WEB_SERVICE", "ROBOT"] | None = None
    insuranceCompanyId: int | Annotated[str, Field(max_length=20)] | None = None
    connectionFields: dict[str, Annotated[str, Field(max_length=500)] | int] | None = Field(
        None, description="insurance-companies/{id}/connection-fields:agent-based")
    branches: Annotated[list[SetupBranch], Field(max_length=30)] | None = None


class SetupAgent(Wire):
    name: NameText | None = None
    plateNo: Annotated[str, Field(max_length=20)] | None = None
    taxNumber: Vkn | None = None
    phoneNumber: PhoneIn | None = None
    companies: Annotated[list[SetupCompany], Field(max_length=100)] | None = None
    robotMode: RobotMode | None = None


class SetupAgentUser(Wire):
    firstName: NameText | None = None
    lastName: NameText | None = None
    email: EmailText | None = None
    password: StrongPassword | None = None


class SetupComplete(SetupCode):
    agent: SetupAgent | None = Field(None, description="{name, taxNumber, phoneNumber, companies, robotMode}",
                                     json_schema_extra={"x-error-code": "AGENT_SETUP_INVALID"})
    agentUser: SetupAgentUser | None = Field(None, description="{firstName, lastName, email, password}",
                                             json_schema_extra={"x-error-code": "AGENT_SETUP_INVALID"})


class B2CConfigField(Wire):
    """One field of the site's settings form (the contract's B2CConfigField union)."""

    name: Annotated[str, Field(max_length=100)] | None = None
    type: int | None = Field(None, description="1 Object, 2 Array, 3 Text, 4 Number, 5 Boolean, 6 File, 7 Color, "
                                               "8 ProductBranch, 9 Icon, 10 InsuranceCompany, 11 MultiLineText, "
                                               "12 InsuranceProduct")
    labelResourceKey: Annotated[str, Field(max_length=200)] | None = None
    descriptionResourceKey: Annotated[str, Field(max_length=200)] | None = None
    allowedExtensions: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=30)] | None = Field(
        None, description="A File's")
    children: Annotated[list["B2CConfigField"], Field(max_length=100)] | None = Field(None, description="An Object's")
    itemType: "B2CConfigField | None" = Field(None, description="An Array's: the field of each item")


class B2CConfig(Wire):
    fields: Annotated[list[B2CConfigField], Field(max_length=500)] | None = None

    model_config = ConfigDict(json_schema_extra=one_of_required(("fields",), x_error_code="B2C_CONFIG_INVALID"))


class B2CConfigFieldOut(Strict):
    name: str
    type: int
    labelResourceKey: str | None
    descriptionResourceKey: str | None
    allowedExtensions: list[str] | None = None
    children: list["B2CConfigFieldOut"] | None = None
    itemType: "B2CConfigFieldOut | None" = None


class B2CConfigOut(Strict):
    fields: list[B2CConfigFieldOut]


class FileUpload(Wire):
    """A multipart/form-data body with one file part (``files/public``, ``plugins``)."""

    MULTIPART: ClassVar[bool] = True
    file: bytes = Field(description="The file, under its name and with its media type")


class PluginVersionOut(Strict):
    version: str
    runtimeType: int = Field(description="1: JavaScriptJint")
    contractVersion: str
    hooks: list[int] = Field(description="PluginHook numbers: 0-16 the on{Event} hooks, 100000 validateCustomer, "
                                         "200000 mutateCustomer, 300000 decorateIgwRequest")
    bundleHash: str = Field(description="SHA-256 of the uploaded zip")
    configSchemaJson: str | None = Field(description="Always null in the sandbox (it runs no plugin code)")
    installedAt: str
    installedByName: str


class PluginSummaryOut(Strict):
    id: str
    slug: str
    activeVersion: str | None
    enabled: bool
    versionCount: int
    hooks: list[int] = Field(description="The active version's hooks; empty with no active version")
    priority: int


class PluginDetailOut(Strict):
    id: str
    slug: str = Field(description="plugin.json's id (reverse-DNS)")
    activeVersion: str | None
    enabled: bool
    priority: int
    maskedConfigJson: str | None
    createdAt: str
    versions: list[PluginVersionOut] = Field(description="Newest first")


class PluginConsoleLineOut(Strict):
    level: str
    message: str
    data: str | None
    timestamp: str


class PluginInvocationLogOut(Strict):
    hookName: str
    pluginVersion: str
    outcome: int = Field(description="0 Ok, 1 Faulted, 2 TimedOut, 3 LimitExceeded")
    durationMs: float
    traceId: str
    failureReason: str | None
    console: list[PluginConsoleLineOut]
    startedAt: str


class ActivatePluginRequest(Wire):
    version: Annotated[str, Field(max_length=64)] | None = Field(None, description="An installed version")

    model_config = ConfigDict(json_schema_extra=one_of_required(("version",), x_error_code="PLUGIN_VERSION_REQUIRED"))


class PluginConfigRequest(Wire):
    config: dict[str, Any] | None = Field(None, description="The active version's per-agency values")

    model_config = ConfigDict(json_schema_extra=one_of_required(("config",), x_error_code="PLUGIN_CONFIG_INVALID"))


class PluginPriorityRequest(Wire):
    priority: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] | None = Field(None, description="Orders the sequential hooks")

    model_config = ConfigDict(json_schema_extra=one_of_required(("priority",), x_error_code="PLUGIN_PRIORITY_INVALID"))


class UploadedFile(Strict):
    fileUrl: str
    filePath: str
    size: int


class PluginLogsQuery(Query):
    limit: Annotated[int, Field(ge=1, le=1000)] = Field(100, description="The newest this many")
    hookName: Annotated[str, Field(max_length=64)] | None = Field(None, description="Only this hook's (onCustomerUpdated)")
    hook: Annotated[str, Field(max_length=64)] | None = Field(None, description="Same as hookName")


class TemplateQuery(Query):
    languageId: Annotated[str, Field(max_length=10)] | None = Field(None, description="GET languages: 1 Türkçe (the "
                                                                                     "default), 2 English")
