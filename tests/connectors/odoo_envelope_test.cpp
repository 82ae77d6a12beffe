// Odoo's two wire formats, byte for byte: what voiceops sends, and every answer shape it must
// read, including the error shapes of /jsonrpc (HTTP 200 with error.data) and JSON-2 (statuses).
#include <catch2/catch.hpp>

#include "connectors/odoo/envelope.hpp"

using namespace voiceops::connectors::odoo;

TEST_CASE("a /jsonrpc call is JSON-RPC 2.0 with service, method and positional args") {
  const Json body = Json::parse(jsonrpc_body(
      7, "object", "execute_kw", Json::array({"prod", 2, "key", "res.partner", "read"})));
  CHECK(body["jsonrpc"] == "2.0");
  CHECK(body["method"] == "call");
  CHECK(body["id"] == 7);
  CHECK(body["params"]["service"] == "object");
  CHECK(body["params"]["method"] == "execute_kw");
  CHECK(body["params"]["args"][3] == "res.partner");
}

TEST_CASE("named arguments become execute_kw's args (ids first) and kwargs") {
  const ExecuteArgs split = execute_args(Json{{"ids", {4, 5}}, {"fields", {"name"}}});
  CHECK(split.args == Json::array({Json::array({4, 5})}));
  CHECK(split.kwargs == Json{{"fields", {"name"}}});
  const ExecuteArgs model_level = execute_args(Json{{"vals_list", Json::array({Json::object()})}});
  CHECK(model_level.args.empty());
  CHECK(model_level.kwargs.contains("vals_list"));
}

TEST_CASE("a /jsonrpc result is read, and each error name maps to what an operator does") {
  auto ok = read_jsonrpc_reply(200, R"({"jsonrpc":"2.0","id":1,"result":[1,2]})");
  REQUIRE(ok);
  CHECK(*ok == Json::array({1, 2}));

  const auto error_of = [](std::string_view name, std::string_view message) {
    const std::string body =
        R"({"jsonrpc":"2.0","id":1,"error":{"code":200,"message":"Odoo Server Error","data":{"name":")" +
        std::string(name) + R"(","debug":"Traceback...","message":")" + std::string(message) +
        R"(","arguments":[],"context":{}}}})";
    auto reply = read_jsonrpc_reply(200, body);
    REQUIRE_FALSE(reply);
    return reply.error();
  };
  CHECK(error_of("odoo.exceptions.AccessDenied", "Access Denied").kind == ErrorKind::access_denied);
  CHECK(error_of("odoo.exceptions.AccessError", "You are not allowed to create").kind ==
        ErrorKind::access_error);
  const Error validation =
      error_of("odoo.exceptions.ValidationError", "The field 'Phone' (partner_phone) is required");
  CHECK(validation.kind == ErrorKind::validation);
  CHECK(validation.field == "partner_phone");
  CHECK(
      error_of("builtins.ValueError", "Invalid field 'x_nope' on model 'helpdesk.ticket'").field ==
      "x_nope");
  CHECK(error_of("odoo.exceptions.UserError", "Object no.such.model doesn't exist").kind ==
        ErrorKind::not_found);
  CHECK(error_of("odoo.exceptions.UserError", "Set a customer first").kind ==
        ErrorKind::validation);
  CHECK(error_of("psycopg2.OperationalError", "database prod2 does not exist").kind ==
        ErrorKind::access_denied);
  CHECK(error_of("builtins.RuntimeError", "boom").kind == ErrorKind::server);
  CHECK(exit_status(error_of("odoo.exceptions.AccessDenied", "x")) ==
        voiceops::ExitStatus::permission);
}

TEST_CASE("a broken /jsonrpc answer is malformed, never a crash or a success") {
  for (const char* body : {"", "{", "[]", "null", R"({"jsonrpc":"2.0","id":1})",
                           R"({"jsonrpc":"2.0","id":1,"error":7})", "<html>502</html>"}) {
    auto reply = read_jsonrpc_reply(200, body);
    REQUIRE_FALSE(reply);
    CHECK((reply.error().kind == ErrorKind::malformed || reply.error().kind == ErrorKind::server));
  }
  auto proxy = read_jsonrpc_reply(502, "<html><title>502 Bad Gateway</title></html>");
  REQUIRE_FALSE(proxy);
  CHECK(proxy.error().kind == ErrorKind::server);
  CHECK(proxy.error().ambiguous);  // the proxy may have answered after Odoo committed
  CHECK(exit_status(proxy.error()) == voiceops::ExitStatus::unavailable);
}

TEST_CASE("JSON-2 answers: the body is the result, the status is the class of error") {
  CHECK(json2_target("/", "helpdesk.ticket", "create") == "/json/2/helpdesk.ticket/create");
  CHECK(json2_target("/odoo", "res.partner", "search_read") ==
        "/odoo/json/2/res.partner/search_read");
  auto ok = read_json2_reply(200, "[42]");
  REQUIRE(ok);
  CHECK(*ok == Json::array({42}));
  const auto status_of = [](int status, std::string_view body) {
    auto reply = read_json2_reply(status, body);
    REQUIRE_FALSE(reply);
    return reply.error();
  };
  CHECK(status_of(401, R"({"name":"werkzeug.exceptions.Unauthorized","message":"Invalid apikey"})")
            .kind == ErrorKind::access_denied);
  CHECK(status_of(403, R"({"name":"odoo.exceptions.AccessError","message":"Private methods"})")
            .kind == ErrorKind::access_error);
  CHECK(status_of(404, "<!DOCTYPE html><title>404: Not Found</title>").kind ==
        ErrorKind::not_found);
  const Error refused = status_of(
      422,
      R"({"name":"odoo.exceptions.ValidationError","message":"The field 'Subject' (name) is required"})");
  CHECK(refused.kind == ErrorKind::validation);
  CHECK(refused.field.empty());  // "name" has no underscore: not taken for a technical name
  CHECK(status_of(500, R"({"name":"builtins.ValueError","message":"bad"})").kind ==
        ErrorKind::server);
  CHECK(status_of(200 + 300, "").ambiguous);
  CHECK(status_of(200, "{\"trunc").kind == ErrorKind::malformed);
}

TEST_CASE("only plausible model and method names reach a URL") {
  CHECK(plausible_name("helpdesk.ticket"));
  CHECK(plausible_name("search_read"));
  CHECK_FALSE(plausible_name(""));
  CHECK_FALSE(plausible_name("../admin"));
  CHECK_FALSE(plausible_name("res.partner/unlink"));
  CHECK_FALSE(plausible_name("Res.Partner"));
}
