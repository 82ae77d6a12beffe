#!/usr/bin/python3
"""Self-test of fake_odoo.py over loopback: both APIs and their error shapes, the ORM subset,
load() and external ids, custom models, every failure mode, the control endpoints, HTTP/1.1
keep-alive, Expect: 100-continue and chunked bodies, and the command line.

    /usr/bin/python3 tests/support/fake_odoo_test.py [unittest args]
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fake_odoo import FakeOdoo  # noqa: E402

DB, LOGIN, KEY = "prod", "voiceops@example.com", "test-key-0123"
DISCONNECTED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
ACCESS_DENIED, ACCESS_ERROR = "odoo.exceptions.AccessDenied", "odoo.exceptions.AccessError"
VALIDATION, USER_ERROR = "odoo.exceptions.ValidationError", "odoo.exceptions.UserError"
NOT_FOUND, UNPROCESSABLE = "werkzeug.exceptions.NotFound", "werkzeug.exceptions.UnprocessableEntity"


def post(url, body, headers=None, timeout=5):
    """(status, headers, body) of a POST; an HTTP error status is an answer, not an exception."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **(headers or {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers),
                                    timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def envelope_of(service, method, *args):
    return {"jsonrpc": "2.0", "method": "call", "id": 7,
            "params": {"service": service, "method": method, "args": list(args)}}


class FakeTestCase(unittest.TestCase):
    version = 17

    def setUp(self):
        self.fake = FakeOdoo(version=self.version)
        self.fake.start()
        self.addCleanup(self.fake.stop)

    def jsonrpc(self, service, method, *args, timeout=5, status=200):
        answer = post(self.fake.url + "/jsonrpc", envelope_of(service, method, *args),
                      timeout=timeout)
        self.assertEqual(answer[0], status)
        envelope = json.loads(answer[2])
        self.assertEqual((envelope["jsonrpc"], envelope["id"]), ("2.0", 7))
        return envelope

    def execute_kw(self, model, method, args, kwargs=None, key=KEY, uid=2, **options):
        extra = [kwargs] if kwargs is not None else []
        return self.jsonrpc("object", "execute_kw", DB, uid, key, model, method, args, *extra,
                            **options)

    def call(self, model, method, *args, **kwargs):
        """The result of an execute_kw that must succeed."""
        envelope = self.execute_kw(model, method, list(args), kwargs)
        self.assertNotIn("error", envelope)
        return envelope["result"]

    def error(self, envelope, name):
        """The data of a JSON-RPC error envelope, checked to be Odoo's shape and `name`."""
        self.assertNotIn("result", envelope)
        error = envelope["error"]
        self.assertEqual((error["code"], error["message"]), (200, "Odoo Server Error"))
        data = error["data"]
        self.assertEqual(set(data), {"name", "debug", "message", "arguments", "context"})
        self.assertEqual((data["name"], data["context"]), (name, {}))
        self.assertTrue(data["debug"].startswith("Traceback (most recent call last):\n"))
        return data

    def execute_error(self, name, model, method, args, kwargs=None):
        return self.error(self.execute_kw(model, method, args, kwargs), name)

    def json2(self, model, method, key=KEY, raw=None, database=DB, **params):
        headers = {"X-Odoo-Database": database}
        if key:
            headers["Authorization"] = f"bearer {key}"
        return post(f"{self.fake.url}/json/2/{model}/{method}",
                    raw if raw is not None else params, headers)

    def json2_result(self, model, method, **params):
        status, headers, body = self.json2(model, method, **params)
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        return json.loads(body)

    def json2_error(self, status, name, model, method, **params):
        answer = self.json2(model, method, **params)
        self.assertEqual(answer[0], status, answer[2])
        error = json.loads(answer[2])
        self.assertEqual(list(error), ["name", "message", "arguments", "context", "debug"])
        self.assertEqual((error["name"], error["context"]), (name, {}))
        self.assertTrue(error["debug"].startswith("Traceback (most recent call last):\n"))
        return error

    def names(self, model):
        return [record["name"] for record in self.fake.records(model)]


class LegacyTest(FakeTestCase):
    def test_version_names_the_configured_major_version(self):
        self.assertEqual(self.jsonrpc("common", "version")["result"], {
            "server_version": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""],
            "server_serie": "17.0", "protocol_version": 1})

    def test_authenticate_answers_the_uid_or_false(self):
        self.assertEqual(self.jsonrpc("common", "authenticate", DB, LOGIN, KEY, {})["result"], 2)
        self.assertEqual(self.jsonrpc("common", "login", DB, LOGIN, KEY)["result"], 2)
        for login, key in ((LOGIN, "wrong"), ("nobody", KEY)):
            result = self.jsonrpc("common", "authenticate", DB, login, key, {})["result"]
            self.assertIs(result, False)
        envelope = self.jsonrpc("common", "authenticate", "nope", LOGIN, KEY, {})
        data = self.error(envelope, "psycopg2.OperationalError")
        self.assertIn('database "nope" does not exist', data["message"])

    def test_a_wrong_key_or_uid_is_access_denied(self):
        for envelope in (self.execute_kw("res.partner", "search", [[]], key="wrong"),
                         self.execute_kw("res.partner", "search", [[]], uid=7)):
            data = self.error(envelope, ACCESS_DENIED)
            self.assertEqual((data["message"], data["arguments"]),
                             ("Access Denied", ["Access Denied"]))

    def test_create_takes_one_dict_or_a_list(self):
        one = self.call("helpdesk.ticket", "create", {"name": "No power", "partner_id": 1})
        many = self.call("helpdesk.ticket", "create", [{"name": "A"}, {"name": "B"}])
        self.assertIsInstance(one, int)
        self.assertEqual(many, [one + 1, one + 2])
        stored = {r["id"]: r for r in self.fake.records("helpdesk.ticket")}
        self.assertEqual(stored[one]["display_name"], "No power")
        self.assertRegex(stored[one]["create_date"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(self.call("helpdesk.ticket", "read", [one], ["partner_id", "team_id"]),
                         [{"id": one, "partner_id": [1, "Maria Lopez"], "team_id": False}])

    def test_search_read_evaluates_polish_domains_limit_offset_and_order(self):
        both = ["|", ["phone", "=", "+15125550142"], ["mobile", "=", "+15125550177"]]
        found = self.call("res.partner", "search_read", both, fields=["name", "phone"])
        self.assertEqual(found, [{"id": 1, "name": "Maria Lopez", "phone": "+15125550142"},
                                 {"id": 2, "name": "James Carter", "phone": False}])
        self.assertEqual(self.call("res.partner", "search", both, order="id desc", limit=1), [2])
        self.assertEqual(self.call("res.partner", "search", both, offset=1), [2])
        self.assertEqual(self.call("res.partner", "search", ["!", ["name", "ilike", "maria"]]), [2])
        j_in = [["name", "=like", "J%"], ["id", "in", [1, 2]]]
        self.assertEqual(self.call("res.partner", "search", j_in), [2])
        self.assertEqual(self.call("res.partner", "search_count", [["phone", "!=", False]]), 1)
        self.assertEqual(self.call("res.partner", "search", [[1, "=", 1]]), [1, 2])

    def test_write_read_and_unlink(self):
        rid = self.call("crm.lead", "create", {"name": "Quote", "phone": "+1"})
        self.assertIs(self.call("crm.lead", "write", [rid], {"phone": "+2"}), True)
        self.assertEqual(self.call("crm.lead", "read", [rid], ["phone"]),
                         [{"id": rid, "phone": "+2"}])
        self.assertIs(self.call("crm.lead", "unlink", [rid]), True)
        self.assertEqual(self.call("crm.lead", "read", [rid], ["phone"]), [])
        data = self.execute_error("odoo.exceptions.MissingError", "crm.lead", "write",
                                  [[rid], {"phone": "+3"}])
        self.assertIn("has been deleted", data["message"])

    def test_errors_carry_odoo_names_and_messages(self):
        cases = [
            ("helpdesk.ticket", "create", [{"name": "x", "x_nope": 1}], "builtins.ValueError",
             "Invalid field 'x_nope' on model 'helpdesk.ticket'"),
            ("no.such.model", "search", [[]], USER_ERROR, "Object no.such.model doesn't exist"),
            ("res.partner", "frobnicate", [[]], "builtins.AttributeError",
             "The method 'frobnicate' does not exist on the model 'res.partner'"),
            ("res.partner", "_private", [[]], ACCESS_ERROR,
             "Private methods (such as _private) cannot be called remotely."),
            ("res.partner", "search", [[["x_nope", "=", 1]]], "builtins.ValueError",
             "Invalid field res.partner.x_nope in leaf ('x_nope', '=', 1)"),
        ]
        for model, method, args, name, message in cases:
            with self.subTest(method=method):
                self.assertEqual(self.execute_error(name, model, method, args)["message"], message)
        data = self.execute_error(VALIDATION, "helpdesk.ticket", "create", [{"description": "?"}])
        self.assertIn("Field: Name (name)", data["message"])
        data = self.execute_error("builtins.TypeError", "res.partner", "search", [[]], {"bad": 1})
        self.assertIn("unexpected keyword argument 'bad'", data["message"])

    def test_a_failed_call_writes_nothing(self):
        self.execute_error("builtins.ValueError", "res.partner", "create",
                           [[{"name": "ok"}, {"x_nope": 1}]])
        self.assertEqual(self.names("res.partner"), ["Maria Lopez", "James Carter"])

    def test_denied_operations_are_access_errors(self):
        self.fake.deny("helpdesk.ticket", "create")
        data = self.execute_error(ACCESS_ERROR, "helpdesk.ticket", "create", [{"name": "x"}])
        self.assertTrue(data["message"].startswith(
            "You are not allowed to create 'Helpdesk Ticket' (helpdesk.ticket) records."))
        self.assertIs(self.call("helpdesk.ticket", "check_access_rights", "create",
                                raise_exception=False), False)
        self.assertIs(self.call("helpdesk.ticket", "check_access_rights", "read"), True)
        self.execute_error(ACCESS_ERROR, "helpdesk.ticket", "check_access_rights", ["create"])
        self.fake.allow_all()
        self.assertIsInstance(self.call("helpdesk.ticket", "create", {"name": "x"}), int)

    def test_a_body_that_is_not_json_gets_a_bare_400(self):
        status, _, body = post(self.fake.url + "/jsonrpc", b"{not json")
        self.assertEqual((status, body), (400, b"Invalid JSON data"))

    def test_json2_is_an_unknown_route_before_odoo_19(self):
        status, headers, body = self.json2("res.partner", "search", domain=[])
        self.assertEqual(status, 404)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertTrue(body.startswith(b"<!DOCTYPE html>") and b"404: Not Found" in body)


class LoadTest(FakeTestCase):
    FIELDS = ["id", "name", "partner_id/id", "priority", "partner_phone"]

    def test_a_second_load_with_the_same_external_ids_updates(self):
        self.call("res.partner", "load", ["id", "name"], [["voiceops.caller_1", "Ana"]])
        rows = [["voiceops.t1", "First", "voiceops.caller_1", "1", "+1"],
                ["t2", "Second", "", "0", ""]]
        first = self.call("helpdesk.ticket", "load", self.FIELDS, rows)
        self.assertEqual((first["messages"], first["nextrow"]), ([], 0))
        rows[0][1] = "First, renamed"
        second = self.call("helpdesk.ticket", "load", self.FIELDS, rows)
        self.assertEqual(second["ids"], first["ids"])
        self.assertEqual(self.names("helpdesk.ticket"), ["First, renamed", "Second"])
        self.assertEqual(self.fake.xmlid("voiceops.t1"), ("helpdesk.ticket", first["ids"][0]))
        self.assertEqual(self.fake.xmlid("__import__.t2"), ("helpdesk.ticket", first["ids"][1]))
        keys = [(r["module"], r["name"]) for r in self.fake.records("ir.model.data")
                if r["module"] != "base"]  # base.group_user is seeded
        self.assertEqual(len(keys), 3)
        self.assertEqual(len(set(keys)), 3)
        ticket = self.fake.records("helpdesk.ticket")[0]
        self.assertEqual((ticket["partner_id"], ticket["priority"]),
                         (self.fake.xmlid("voiceops.caller_1")[1], "1"))

    def test_database_ids_and_names_of_related_records(self):
        by_id = self.call("crm.lead", "load", ["name", "partner_id/.id"], [["By id", "2"]])
        by_name = self.call("crm.lead", "load", ["name", "partner_id"],
                            [["By name", "Maria Lopez"]])
        leads = self.call("crm.lead", "read", by_id["ids"] + by_name["ids"], ["partner_id"])
        self.assertEqual([lead["partner_id"] for lead in leads],
                         [[2, "James Carter"], [1, "Maria Lopez"]])

    def test_many2many_database_ids_and_related_paths(self):
        loaded = self.call("calendar.event", "load", ["name", "partner_ids/.id", "start", "stop"],
                           [["Visit: both", "1,2", "2030-01-07 14:00:00", "2030-01-07 18:00:00"]])
        event = self.call("calendar.event", "read", loaded["ids"], ["partner_ids", "active"])[0]
        self.assertEqual((event["partner_ids"], event["active"]), ([1, 2], True))
        bad = self.call("calendar.event", "load", ["name", "partner_ids/.id"], [["X", "1,99"]])
        self.assertFalse(bad["ids"])
        self.assertIn("'99'", bad["messages"][0]["message"])
        # A leaf through a relational field holds when one related record matches.
        self.assertEqual(self.call("calendar.event", "search",
                                   [["partner_ids.phone", "=", "+15125550142"]]), loaded["ids"])
        self.assertEqual(self.call("calendar.event", "search_count",
                                   [["partner_ids.name", "ilike", "carter"]]), 1)
        self.assertEqual(self.call("calendar.event", "search",
                                   [["partner_ids.phone", "=", "+10000000000"]]), [])

    def test_archived_records_are_left_out_unless_the_domain_names_active(self):
        ids = self.call("calendar.event", "create",
                        [{"name": "Visit: kept"}, {"name": "Visit: cancelled"}])
        self.assertTrue(self.call("calendar.event", "write", [ids[1]], {"active": False}))
        self.assertEqual(self.call("calendar.event", "search", [["name", "=like", "Visit: %"]]),
                         ids[:1])
        self.assertEqual(self.call("calendar.event", "search_count", []), 1)
        self.assertEqual(self.call("calendar.event", "search", [["active", "=", False]]), ids[1:])
        # Read still reads an archived record by its id.
        self.assertEqual(len(self.call("calendar.event", "read", ids, ["name"])), 2)

    def test_bad_rows_answer_messages_and_write_nothing(self):
        rows = [["voiceops.ok", "Fine", "", "1", ""],
                ["voiceops.bad", "", "voiceops.nobody", "x", ""]]
        result = self.call("helpdesk.ticket", "load", self.FIELDS, rows)
        self.assertEqual((result["ids"], result["nextrow"]), (False, 0))
        by_field = {m["field"]: m for m in result["messages"]}
        self.assertEqual(by_field["name"], {
            "type": "error", "message": "Missing required value for the field 'Name' (name)",
            "record": 1, "field": "name", "rows": {"from": 1, "to": 1}})
        self.assertEqual(set(by_field), {"name", "partner_id"})
        self.assertIn("voiceops.nobody", by_field["partner_id"]["message"])
        result = self.call("mail.activity", "load", ["res_id", "x_nope"], [["seven", "1"]])
        self.assertEqual({m["field"] for m in result["messages"]}, {"res_id", "x_nope"})
        self.assertIn("does not seem to be an integer", result["messages"][0]["message"])
        self.assertEqual(self.fake.records("helpdesk.ticket"), [])
        self.assertEqual(self.fake.xmlid("voiceops.ok"), None)


class CustomModelTest(FakeTestCase):
    def test_a_custom_model_and_its_fields_take_records(self):
        model_id = self.call("ir.model", "create", {"name": "VoiceOps Call",
                                                    "model": "x_voiceops_call", "state": "manual"})
        for spec in ({"name": "x_caller", "ttype": "char", "required": True},
                     {"name": "x_partner_id", "ttype": "many2one", "relation": "res.partner"},
                     {"name": "x_seconds", "ttype": "integer"}):
            self.call("ir.model.fields", "create",
                      {"model_id": model_id, "field_description": spec["name"], **spec})
        self.call("ir.model.access", "create", {
            "name": "voiceops", "model_id": model_id, "group_id": False, "perm_read": True,
            "perm_write": True, "perm_create": True, "perm_unlink": False})
        on_model = [["model", "=", "x_voiceops_call"]]
        self.assertEqual(self.call("ir.model", "search_read", on_model, fields=["name"]),
                         [{"id": model_id, "name": "VoiceOps Call"}])
        fields = self.call("ir.model.fields", "search_read", on_model,
                           fields=["name", "model", "model_id"])
        self.assertEqual({f["name"] for f in fields},
                         {"id", "display_name", "x_name", "create_date", "write_date",
                          "x_caller", "x_partner_id", "x_seconds"})
        self.assertEqual({(f["model"], f["model_id"][0]) for f in fields},
                         {("x_voiceops_call", model_id)})
        rid = self.call("x_voiceops_call", "create",
                        {"x_name": "call 1", "x_caller": "+1", "x_partner_id": 1})
        read = self.call("x_voiceops_call", "read", [rid], ["display_name", "x_partner_id"])
        self.assertEqual(read, [{"id": rid, "display_name": "call 1",
                                 "x_partner_id": [1, "Maria Lopez"]}])
        self.execute_error(VALIDATION, "x_voiceops_call", "create", [{"x_name": "no caller"}])

    def test_custom_names_must_start_with_x_and_be_unique(self):
        data = self.execute_error(VALIDATION, "ir.model", "create",
                                  [{"name": "Calls", "model": "voiceops.call"}])
        self.assertEqual(data["message"], "The model name must start with 'x_'.")
        model_id = self.call("ir.model", "create", {"name": "Codes", "model": "x_code"})
        data = self.execute_error(VALIDATION, "ir.model", "create",
                                  [{"name": "Again", "model": "x_code"}])
        self.assertIn("Each model must have a unique name.", data["message"])
        field = {"model_id": model_id, "name": "x_code", "ttype": "char", "field_description": "C"}
        self.call("ir.model.fields", "create", field)
        self.assertIn("unique", self.execute_error(VALIDATION, "ir.model.fields", "create",
                                                   [field])["message"])
        self.assertIn("'x_'", self.execute_error(VALIDATION, "ir.model.fields", "create",
                                                 [{**field, "name": "code"}])["message"])


class Json2Test(FakeTestCase):
    version = 19

    def test_results_are_bare_json(self):
        self.assertEqual(self.jsonrpc("common", "version")["result"]["server_serie"], "19.0")
        ids = self.json2_result("helpdesk.ticket", "create",
                                vals_list=[{"name": "A"}, {"name": "B"}])
        self.assertEqual(self.json2_result("helpdesk.ticket", "create", vals_list={"name": "C"}),
                         [ids[1] + 1])
        self.assertIs(self.json2_result("helpdesk.ticket", "write", ids=ids[:1],
                                        vals={"priority": "2"}), True)
        self.assertEqual(self.json2_result("helpdesk.ticket", "read", ids=ids[:1],
                                           fields=["priority"]), [{"id": ids[0], "priority": "2"}])
        self.assertEqual(self.json2_result("helpdesk.ticket", "search_read", fields=["name"],
                                           domain=[["name", "in", ["A", "B"]]], order="name desc",
                                           limit=1), [{"id": ids[1], "name": "B"}])
        self.assertEqual(self.json2_result("helpdesk.ticket", "search_count", domain=[]), 3)
        self.assertEqual(self.json2_result("res.users", "context_get"),
                         {"lang": "en_US", "tz": "UTC", "uid": 2})
        self.assertIs(self.json2_result("res.partner", "check_access_rights", operation="write"),
                      True)
        fields = self.json2_result("helpdesk.ticket", "fields_get", attributes=["type", "required"])
        self.assertEqual(fields["name"], {"type": "char", "required": True})
        loaded = self.json2_result("res.partner", "load", fields=["name"], data=[["Ana"]])
        self.assertEqual(loaded["messages"], [])
        self.assertIs(self.json2_result("helpdesk.ticket", "unlink", ids=ids), True)

    def test_a_missing_or_wrong_key_is_401(self):
        for key in (None, "wrong"):
            error = self.json2_error(401, "werkzeug.exceptions.Unauthorized", "res.partner",
                                     "search", key=key, domain=[])
            self.assertEqual((error["message"], error["arguments"]),
                             ("Invalid apikey", ["Invalid apikey", 401]))
        headers = self.json2("res.partner", "search", key="x", domain=[])[1]
        self.assertEqual(headers["WWW-Authenticate"], "Bearer")

    def test_denials_and_private_methods_are_403(self):
        self.fake.deny("res.partner", "read")
        error = self.json2_error(403, ACCESS_ERROR, "res.partner", "search_read", domain=[])
        self.assertEqual(error["arguments"], [error["message"]])
        self.assertIs(self.json2_result("res.partner", "check_access_rights", operation="read",
                                        raise_exception=False), False)
        error = self.json2_error(403, ACCESS_ERROR, "res.partner", "_read_group")
        self.assertEqual(error["message"], "Private methods (such as 'res.partner._read_group')"
                                           " cannot be called remotely.")

    def test_unknown_models_and_methods_are_404(self):
        error = self.json2_error(404, NOT_FOUND, "no.such.model", "search", domain=[])
        self.assertEqual(error["message"], "the model 'no.such.model' does not exist")
        error = self.json2_error(404, NOT_FOUND, "res.partner", "frobnicate")
        self.assertEqual(error["message"], "The method 'res.partner.frobnicate' does not exist")
        self.json2_error(404, "odoo.exceptions.MissingError", "res.partner", "write", ids=[99],
                         vals={})

    def test_bad_arguments_and_user_errors_are_422(self):
        cases = [({"ids": [1], "vals_list": [{"name": "x"}]}, "create",
                  "cannot call res.partner.create with ids"),
                 ({"domain": [], "bogus": 1}, "search",
                  "got an unexpected keyword argument 'bogus'"),
                 ({}, "create", "missing a required argument: 'vals_list'")]
        for params, method, message in cases:
            with self.subTest(message=message):
                error = self.json2_error(422, UNPROCESSABLE, "res.partner", method, **params)
                self.assertEqual(error["message"], message)
        error = self.json2_error(422, VALIDATION, "helpdesk.ticket", "create",
                                 vals_list=[{"partner_phone": "+1"}])
        self.assertIn("(name)", error["message"])

    def test_other_exceptions_are_500_and_bad_bodies_400(self):
        error = self.json2_error(500, "builtins.ValueError", "res.partner", "create",
                                 vals_list=[{"x_nope": 1}])
        self.assertEqual(error["message"], "Invalid field 'x_nope' on model 'res.partner'")
        for raw in (b"{oops", b"[1]"):
            self.json2_error(400, "werkzeug.exceptions.BadRequest", "res.partner", "search",
                             raw=raw)

    def test_another_database_is_an_unknown_route(self):
        status, headers, _ = self.json2("res.partner", "search", database="other", domain=[])
        self.assertEqual((status, headers["Content-Type"].split(";")[0]), (404, "text/html"))


class FailureTest(FakeTestCase):
    version = 19

    def create_ticket(self, name="T", **options):
        return self.execute_kw("helpdesk.ticket", "create", [{"name": name}], **options)

    def test_odoo_errors_instead_of_the_call(self):
        for mode, name in [("access_denied", ACCESS_DENIED), ("access_error", ACCESS_ERROR),
                           ("validation", VALIDATION), ("user_error", USER_ERROR)]:
            with self.subTest(mode=mode):
                self.fake.fail(mode)
                data = self.error(self.create_ticket(), name)
                if mode == "validation":
                    self.assertIn("(name)", data["message"])
        self.assertEqual(self.fake.records("helpdesk.ticket"), [])

    def test_the_same_errors_on_json2(self):
        for mode, status, name in [("access_denied", 401, "werkzeug.exceptions.Unauthorized"),
                                   ("access_error", 403, ACCESS_ERROR),
                                   ("validation", 422, VALIDATION),
                                   ("user_error", 422, USER_ERROR)]:
            with self.subTest(mode=mode):
                self.fake.fail(mode, model="res.partner", method="search")
                self.json2_error(status, name, "res.partner", "search", domain=[])

    def test_a_denied_login_is_false_not_an_error(self):
        self.fake.fail("access_denied", method="authenticate")
        self.assertIs(self.jsonrpc("common", "authenticate", DB, LOGIN, KEY, {})["result"], False)
        self.assertEqual(self.jsonrpc("common", "authenticate", DB, LOGIN, KEY, {})["result"], 2)

    def test_failures_match_model_and_method_and_run_out(self):
        self.fake.fail("user_error", count=2, model="helpdesk.ticket", method="create")
        self.assertNotIn("error", self.execute_kw("res.partner", "create", [{"name": "p"}]))
        self.assertNotIn("error", self.execute_kw("helpdesk.ticket", "search", [[]]))
        self.error(self.create_ticket(), USER_ERROR)
        self.error(self.create_ticket(), USER_ERROR)
        self.assertNotIn("error", self.create_ticket())
        self.fake.fail("user_error", method="version")
        self.error(self.jsonrpc("common", "version"), USER_ERROR)

    def test_http_502_is_nginx_and_runs_nothing(self):
        self.fake.fail("http_502")
        status, _, body = post(self.fake.url + "/jsonrpc", envelope_of("common", "version"))
        self.assertEqual(status, 502)
        self.assertIn(b"<title>502 Bad Gateway</title>", body)
        self.fake.fail("http_502")
        self.assertEqual(self.json2("helpdesk.ticket", "create", vals_list=[{"name": "x"}])[0], 502)
        self.assertEqual(self.fake.records("helpdesk.ticket"), [])

    def test_http_500_on_both_apis(self):
        self.fake.fail("http_500")
        self.error(self.create_ticket(status=500), "builtins.Exception")
        self.fake.fail("http_500")
        self.json2_error(500, "builtins.Exception", "res.partner", "search", domain=[])
        self.assertEqual(self.fake.records("helpdesk.ticket"), [])

    def test_a_hang_times_the_client_out_and_blocks_no_one_else(self):
        self.fake.hang_seconds = 1
        self.fake.fail("hang", model="helpdesk.ticket")
        started = time.monotonic()
        with self.assertRaises((TimeoutError, urllib.error.URLError)):
            self.create_ticket(timeout=0.3)
        self.assertLess(time.monotonic() - started, 0.9)
        version = self.jsonrpc("common", "version", timeout=0.5)["result"]
        self.assertEqual(version["server_serie"], "19.0")
        time.sleep(1)
        self.assertEqual(self.fake.records("helpdesk.ticket"), [])

    def test_slow_runs_the_call_late_and_serves_others_meanwhile(self):
        self.fake.hang_seconds = 1.0
        self.fake.fail("slow", model="res.partner", method="create")
        answers = {}

        def slow_create():
            answers["slow"] = self.call("res.partner", "create", {"name": "Late"})
        worker = threading.Thread(target=slow_create)
        started = time.monotonic()
        worker.start()
        time.sleep(0.2)
        self.assertEqual(self.call("res.partner", "search_count", []), 2)  # not blocked, not yet run
        worker.join(5)
        self.assertGreaterEqual(time.monotonic() - started, 0.9)
        self.assertEqual(answers["slow"], 3)  # one dict in, one id out, as in Odoo
        self.assertEqual(self.call("res.partner", "search_count", []), 3)

    def test_stop_ends_a_hang(self):
        self.fake.fail("hang")
        client = threading.Thread(
            target=lambda: self.assertRaises(DISCONNECTED, self.create_ticket, timeout=10))
        client.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.fake.stop()
        client.join(5)
        self.assertLess(time.monotonic() - started, 2)
        self.assertFalse(client.is_alive())

    def test_drop_after_commit_commits_and_answers_nothing(self):
        self.fake.fail("drop_after_commit")
        with self.assertRaises(DISCONNECTED):
            self.create_ticket("committed")
        self.fake.fail("drop_after_commit")
        with self.assertRaises(DISCONNECTED):
            self.json2("helpdesk.ticket", "create", vals_list=[{"name": "committed too"}])
        self.assertEqual(self.names("helpdesk.ticket"), ["committed", "committed too"])

    def test_malformed_sends_half_the_reply(self):
        self.fake.fail("malformed")
        create = envelope_of("object", "execute_kw", DB, 2, KEY, "helpdesk.ticket", "create",
                             [{"name": "kept"}])
        status, _, body = post(self.fake.url + "/jsonrpc", create)
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b'{"jsonrpc": "2.0"'))
        self.assertRaises(ValueError, json.loads, body)
        self.assertEqual(self.names("helpdesk.ticket"), ["kept"])

    def test_unknown_modes_are_refused(self):
        self.assertRaises(ValueError, self.fake.fail, "explode")


class ControlTest(FakeTestCase):
    def control(self, route, payload=None):
        status, _, body = post(f"{self.fake.url}/__fake__/{route}", payload or {})
        return status, json.loads(body)

    def test_fail_deny_records_requests_and_reset(self):
        queued = self.control("fail", {"mode": "user_error", "count": 1, "model": "res.partner",
                                       "method": "create"})
        self.assertEqual(queued, (200, {"ok": True}))
        self.execute_error(USER_ERROR, "res.partner", "create", [[{"name": "a"}, {"name": "b"}]])
        self.call("res.partner", "create", [{"name": "a"}, {"name": "b"}])
        self.call("res.partner", "load", ["name"], [["c"]])
        denied = self.control("deny", {"model": "res.partner", "operation": "read"})
        self.assertEqual(denied, (200, {"ok": True}))
        self.execute_error(ACCESS_ERROR, "res.partner", "search", [[]])
        status, requests = get(self.fake.url + "/__fake__/requests")
        self.assertEqual(requests[0], {"endpoint": "jsonrpc", "model": "res.partner",
                                       "method": "create", "rows": 2})
        self.assertEqual([r["rows"] for r in requests], [2, 2, 1, 0])
        self.assertEqual(self.fake.count_requests("res.partner", "create"), 2)
        self.assertEqual(self.fake.count_requests(method="load"), 1)
        status, records = get(self.fake.url + "/__fake__/records/res.partner")
        self.assertEqual((status, [r["name"] for r in records]),
                         (200, ["Maria Lopez", "James Carter", "a", "b", "c"]))
        self.assertEqual(self.control("reset"), (200, {"ok": True}))
        self.assertEqual(len(self.call("res.partner", "search", [])), 5)
        self.assertEqual(get(self.fake.url + "/__fake__/requests"), (200, [{
            "endpoint": "jsonrpc", "model": "res.partner", "method": "search", "rows": 0}]))
        self.control("reset", {"records": True})
        self.assertEqual(len(get(self.fake.url + "/__fake__/records/res.partner")[1]), 2)

    def test_hang_seconds_and_bad_requests(self):
        self.assertEqual(self.control("fail", {"mode": "hang", "hang_seconds": 0.2})[0], 200)
        self.assertEqual(self.fake.hang_seconds, 0.2)
        self.assertEqual(self.control("fail", {"mode": "explode"})[0], 400)
        self.assertEqual(self.control("deny", {"model": "res.partner", "operation": "eat"})[0], 400)
        self.assertEqual(get(self.fake.url + "/__fake__/records/no.such.model")[0], 404)
        self.assertEqual(self.control("nothing")[0], 404)


class HttpTest(FakeTestCase):
    VERSION = json.dumps(envelope_of("common", "version")).encode()

    def connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        return connection

    def test_one_connection_serves_many_requests(self):
        connection, sockets = self.connection(), set()
        for _ in range(3):
            connection.request("POST", "/jsonrpc", self.VERSION)
            response = connection.getresponse()
            self.assertEqual(int(response.headers["Content-Length"]), len(response.read()))
            sockets.add(id(connection.sock))
        self.assertEqual(len(sockets), 1)

    def test_expect_100_continue(self):
        create = envelope_of("object", "execute_kw", DB, 2, KEY, "res.partner", "create",
                             [{"name": "x" * 2000}])
        body = json.dumps(create).encode()
        with socket.create_connection(("127.0.0.1", self.fake.port), timeout=5) as sock:
            sock.sendall(b"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
            self.assertEqual(sock.recv(1024), b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(body)
            reply = b""
            while b'"result"' not in reply:
                reply += sock.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 200 OK\r\n"))
        self.assertEqual(len(self.fake.records("res.partner")), 3)

    def test_chunked_and_large_bodies(self):
        connection = self.connection()
        connection.request("POST", "/jsonrpc", iter([self.VERSION]), encode_chunked=True)
        self.assertEqual(json.loads(connection.getresponse().read())["result"]["server_serie"],
                         "17.0")
        rows = [[f"voiceops.p{i}", f"Partner {i}", "+1512555%04d" % i] for i in range(20000)]
        result = self.call("res.partner", "load", ["id", "name", "phone"], rows)
        self.assertEqual(len(result["ids"]), 20000)


class CommandLineTest(unittest.TestCase):
    def test_serves_until_sigterm_and_says_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port")
            server = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "fake_odoo.py"), "--version", "19",
                 "--port", "0", "--port-file", port_file, "--api-key", "k"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file) and time.monotonic() < deadline:
                time.sleep(0.02)
            with open(port_file, encoding="ascii") as f:
                port = int(f.read())
            status, _, body = post(f"http://127.0.0.1:{port}/json/2/res.users/context_get", {},
                                   {"Authorization": "bearer k"})
            self.assertEqual((status, json.loads(body)["uid"]), (200, 2))
            server.send_signal(signal.SIGTERM)
            out, err = server.communicate(timeout=5)
        self.assertEqual((server.returncode, out, err), (0, b"", b""))


if __name__ == "__main__":
    unittest.main()
