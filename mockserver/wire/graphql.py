"""GraphQL requests and answers over HTTP."""


from typing import Annotated, Any

from pydantic import Field

from mockserver.wire.base import Strict, Wire
from mockserver.wire.common import Query


class GraphQLRequest(Wire):
    query: Annotated[str, Field(pattern=r"\S")] = Field(description="The GraphQL document")
    variables: dict[str, Any] | None = None
    operationName: str | None = None


class GraphQLQuery(Query):
    query: Annotated[str, Field(pattern=r"\S")] = Field(description="The GraphQL document (queries only over GET)")
    variables: str | None = Field(None, description="JSON object")
    operationName: str | None = None


class GraphQLErrorOut(Strict):
    message: str
    extensions: dict[str, Any] = Field(description="code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, "
                                                   "INTERNAL_ERROR), codes, traceId")
    locations: list[dict[str, int]] | None = None
    path: list[str | int] | None = None


class GraphQLWarning(Strict):
    code: str
    message: str


class GraphQLExtensions(Strict):
    warnings: list[GraphQLWarning] = Field(description="What the sandbox served differently from the current "
                                                       "API (an older documented form), and the current form")


class GraphQLIntrospection(Strict):
    data: dict[str, Any] = Field(description="{__schema}: the introspection result of the schema GET /graphql/schema "
                                             "serves as SDL")


class GraphQLResponse(Strict):
    data: dict[str, Any] | None = None
    errors: list[GraphQLErrorOut] | None = None
    extensions: GraphQLExtensions | None = None
