#!/usr/bin/python3
"""A fake Odoo server for integration tests: loopback only, in memory, with failures on demand.

It answers Odoo's two external APIs the way Odoo answers them:

* ``POST /jsonrpc`` (every version): ``common.version``, ``common.authenticate`` and
  ``common.login`` (the uid, or ``false`` for bad credentials), and ``object.execute_kw``
  (AccessDenied for a bad uid or key, psycopg2.OperationalError for a database that does not
  exist).  Results and errors are HTTP 200 envelopes, errors as
  ``{"code": 200, "message": "Odoo Server Error", "data": {name, debug, message, arguments,
  context}}``; a body that is not JSON gets Odoo's bare ``400 Invalid JSON data``.
* ``POST /json/2/<model>/<method>`` (version 19 on; before, Odoo has no such route and answers
  an HTML 404): named arguments in a JSON object, ``Authorization: bearer <key>``, optional
  ``X-Odoo-Database``.  The bare result on success, else Odoo 19's statuses with
  ``{name, message, arguments, context, debug}``: 401 bad key, 403 AccessError/AccessDenied and
  private methods, 404 unknown model or method and MissingError, 422 UserError/ValidationError,
  bad arguments and ids given to a model method, 500 anything else (builtins.ValueError...).

Behind both is a small ORM whose schema is, as in Odoo, ``ir.model`` and ``ir.model.fields``
rows, so ``x_`` models and fields can be created over RPC.  Methods, with Odoo's signatures:
create (one dict or a list), write, read, unlink, search, search_read (Polish-notation domains,
leaves through relational fields such as ``partner_ids.phone``, archived records left out unless
the domain names ``active``; offset, limit, order), search_count, fields_get,
check_access_rights, load (external ids in ``ir.model.data``, related records by database id,
comma-separated for a many2many; bad rows answer messages and write nothing) and
res.users.context_get.
Unknown fields are ValueError, writes on deleted records MissingError, denied (model,
operation) pairs AccessError.  Every call is one transaction.

Failures are queued with ``fail(mode, count, model, method)`` or ``POST /__fake__/fail``:
access_denied, access_error, validation and user_error raise Odoo's errors instead of running
the call; http_502 answers nginx's page and http_500 a server error; hang answers nothing for
``hang_seconds`` and then closes the connection, the call not run; slow waits ``hang_seconds``
and then runs the call as usual (other calls go on meanwhile); drop_after_commit runs and
commits the call and closes the connection unanswered; malformed runs it and sends half the reply.

    fake_odoo.py --version 19 --port 0 --port-file F [--database D --login L --api-key K]
"""
import argparse
import collections
import contextlib
import dataclasses
import datetime
import http
import inspect
import json
import operator
import os
import re
import sys
import threading
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_http import LoopbackFake, serve_until_signal  # noqa: E402

UID = 2
MODES = ("access_denied", "access_error", "validation", "user_error", "http_502", "http_500",
         "hang", "slow", "drop_after_commit", "malformed")
OPERATIONS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}
TTYPES = {"char", "text", "html", "integer", "float", "monetary", "boolean", "date", "datetime",
          "selection", "many2one", "many2many"}
AUTO_FIELDS = ("id:integer", "display_name:char", "create_date:datetime", "write_date:datetime")
AUTO_NAMES = {spec.split(":")[0] for spec in AUTO_FIELDS}
EMPTY_READ = {"integer": 0, "float": 0.0, "monetary": 0.0, "many2many": []}
# model: (description, "name:ttype[:relation][!]..." where ! marks a required field)
SEED_MODELS = {
    "res.users": ("User", "login:char! name:char!"),
    "res.groups": ("Access Groups", "name:char!"),
    "res.partner": ("Contact", "name:char phone:char mobile:char email:char"),
    "helpdesk.ticket": ("Helpdesk Ticket", "name:char! description:text"
                        " partner_id:many2one:res.partner partner_phone:char partner_name:char"
                        " team_id:many2one:helpdesk.team priority:selection"),
    "crm.lead": ("Lead/Opportunity", "name:char! partner_id:many2one:res.partner phone:char"
                 " contact_name:char description:text type:selection"),
    "calendar.event": ("Calendar Event", "name:char! start:datetime stop:datetime"
                       " partner_ids:many2many:res.partner description:text location:char"
                       " active:boolean"),
    "mail.activity": ("Activity", "res_model:char res_id:integer summary:char note:text"
                      " activity_type_id:many2one:mail.activity.type date_deadline:date"
                      " user_id:many2one:res.users"),
    "project.task": ("Task", "name:char! partner_id:many2one:res.partner"
                     " stage_id:many2one:project.task.type"),
    "ir.model": ("Models", "name:char! model:char! state:selection"),
    "ir.model.fields": ("Fields", "name:char! model:char model_id:many2one:ir.model!"
                        " field_description:char! ttype:selection! relation:char required:boolean"
                        " state:selection on_delete:selection readonly:boolean index:boolean"
                        " help:text"),
    "ir.model.access": ("Access Controls", "name:char! model_id:many2one:ir.model!"
                        " group_id:many2one:res.groups perm_read:boolean perm_write:boolean"
                        " perm_create:boolean perm_unlink:boolean"),
    "ir.model.data": ("Model Data", "module:char! name:char! model:char! res_id:integer"),
}
NOT_FOUND_HTML = (b'<!DOCTYPE html>\n<html lang="en">\n<head><title>404: Not Found</title>'
                  b"</head>\n<body><h1>404: Not Found</h1><p>The requested URL was not found on"
                  b" the server.</p></body>\n</html>\n")
BAD_GATEWAY_HTML = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                    b"</body>\r\n</html>\r\n")


def _error_class(module, name, base=Exception, **attributes):
    """An exception class that serializes under Odoo's fully qualified name for it."""
    return type(name, (base,), {"__module__": module, **attributes})


class HTTPException(Exception):
    __module__ = "werkzeug.exceptions"
    code = 500

    def __init__(self, description):
        super().__init__()
        self.description = description

    def __str__(self):
        return f"{self.code} {http.HTTPStatus(self.code).phrase}: {self.description}"


UserError = _error_class("odoo.exceptions", "UserError", http_status=422)
AccessDenied = _error_class("odoo.exceptions", "AccessDenied", UserError, http_status=403)
AccessError = _error_class("odoo.exceptions", "AccessError", UserError, http_status=403)
MissingError = _error_class("odoo.exceptions", "MissingError", UserError, http_status=404)
ValidationError = _error_class("odoo.exceptions", "ValidationError", UserError)
BadRequest = _error_class("werkzeug.exceptions", "BadRequest", HTTPException, code=400)
Unauthorized = _error_class("werkzeug.exceptions", "Unauthorized", HTTPException, code=401)
NotFound = _error_class("werkzeug.exceptions", "NotFound", HTTPException, code=404)
UnprocessableEntity = _error_class("werkzeug.exceptions", "UnprocessableEntity", HTTPException,
                                   code=422)
OperationalError = _error_class("psycopg2", "OperationalError")  # the database does not exist


class _ImportFailure(Exception):
    """A bad cell in load(): reported as a message, never raised to the client."""


Reply = collections.namedtuple("Reply", "status content_type body headers action",
                               defaults=((), None))
HANG = Reply(0, "", b"", (), "hang")
DROP = Reply(0, "", b"", (), "drop")
NOT_FOUND_REPLY = Reply(404, "text/html; charset=utf-8", NOT_FOUND_HTML)
BAD_GATEWAY_REPLY = Reply(502, "text/html", BAD_GATEWAY_HTML)


def _json_reply(status, data, headers=()):
    body = json.dumps(data, ensure_ascii=False, default=str).encode()
    return Reply(status, "application/json; charset=utf-8", body, headers)


def serialize_exception(exc):
    """odoo.http.serialize_exception: the error object both APIs send."""
    cls = type(exc)
    message, arguments = str(exc), list(exc.args)
    if isinstance(exc, HTTPException):
        message, arguments = exc.description, [exc.description, exc.code]
    return {"name": f"{cls.__module__}.{cls.__qualname__}", "message": message,
            "arguments": arguments, "context": {},
            "debug": "".join(traceback.format_exception(exc))}


def _raised(exc):
    """`exc` with the traceback it gets when raised, which Odoo's error bodies show."""
    try:
        raise exc
    except Exception as raised:
        return raised


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _null(value):
    return value is None or value is False


def _as_ids(ids):
    return [ids] if isinstance(ids, int) else list(ids or [])


def _label(name):
    """The string Odoo gives a field that declares none: partner_id -> 'Partner'."""
    return re.sub(r"_ids?$", "", name).replace("_", " ").title()


def _parse_field(spec):
    name, ttype, relation = (spec.rstrip("!").split(":") + [False])[:3]
    return name, ttype, relation, spec.endswith("!")


def _display_name(model, record):
    return record.get("name") or record.get("x_name") or f"{model},{record['id']}"


def _x2many(current, value):
    """A many2many after a list of ids or Odoo's commands [6, 0, ids], [4, id], [3, id], [5]."""
    if not value:
        return []
    if all(isinstance(item, int) for item in value):
        return list(value)
    ids = list(current)
    for command in value:
        if command[0] == 6:
            ids = list(command[2])
        elif command[0] == 5:
            ids = []
        elif command[0] == 4:
            ids += [] if command[1] in ids else [command[1]]
        elif command[0] == 3:
            ids = [i for i in ids if i != command[1]]
        else:
            raise ValueError(f"The fake does not support the x2many command {command!r}")
    return ids


def _rows(method, args, kwargs):
    """How many records a create or a load call carries."""
    args = args if isinstance(args, list) else []
    kwargs = kwargs if isinstance(kwargs, dict) else {}
    if method == "create":
        payload = args[0] if args else kwargs.get("vals_list")
    elif method == "load":
        payload = args[1] if len(args) > 1 else kwargs.get("data")
    else:
        return 0
    return 1 if isinstance(payload, dict) else len(payload) if isinstance(payload, list) else 0


# Domains ----------------------------------------------------------------------------------------

def _like(value, pattern, ignore_case):
    """SQL LIKE: % is any run of characters, _ any one; NULL matches nothing."""
    if _null(value):
        return False
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(pattern))
    return re.fullmatch(regex, str(value), re.S | (re.I if ignore_case else 0)) is not None


def _eq(value, operand):
    return operand in value if isinstance(value, list) else value == operand


def _in(value, operand):
    operand = operand if isinstance(operand, list) else [operand]
    return any(v in operand for v in value) if isinstance(value, list) else value in operand


def _ordered(compare):
    def test(value, operand):
        try:
            return not _null(value) and not _null(operand) and compare(value, operand)
        except TypeError:
            return False
    return test


OPERATORS = {
    "=": _eq, "!=": lambda v, x: not _eq(v, x),
    "in": _in, "not in": lambda v, x: not _in(v, x),
    "like": lambda v, x: _like(v, f"%{x}%", False),
    "ilike": lambda v, x: _like(v, f"%{x}%", True),
    "not like": lambda v, x: not _like(v, f"%{x}%", False),
    "not ilike": lambda v, x: not _like(v, f"%{x}%", True),
    "=like": lambda v, x: _like(v, x, False), "=ilike": lambda v, x: _like(v, x, True),
    "<": _ordered(operator.lt), "<=": _ordered(operator.le),
    ">": _ordered(operator.gt), ">=": _ordered(operator.ge),
}


def compile_domain(domain, fields, model, db=None):
    """A predicate for an Odoo domain: leaves and the prefix operators '&', '|' and '!', with an
    implicit '&' between consecutive terms. With `db`, a leaf may follow a relational field to
    the related records ("partner_ids.phone"), and holds when one of them matches."""
    terms, index = [], 0
    while index < len(domain):
        term, index = _term(domain, index, fields, model, db)
        terms.append(term)
    return lambda record: all(term(record) for term in terms)


def _term(domain, index, fields, model, db):
    if index >= len(domain):
        raise ValueError(f"Invalid domain {domain!r}")
    token = domain[index]
    if token == "!":
        inner, index = _term(domain, index + 1, fields, model, db)
        return (lambda record: not inner(record)), index
    if token in ("&", "|"):
        left, index = _term(domain, index + 1, fields, model, db)
        right, index = _term(domain, index, fields, model, db)
        if token == "&":
            return (lambda record: left(record) and right(record)), index
        return (lambda record: left(record) or right(record)), index
    return _leaf(token, fields, model, db), index + 1


def _leaf(leaf, fields, model, db):
    if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 or leaf[1] not in OPERATORS:
        raise ValueError(f"Invalid leaf {tuple(leaf) if isinstance(leaf, list) else leaf!r}")
    name, test, operand = leaf[0], OPERATORS[leaf[1]], leaf[2]
    if isinstance(name, int):  # (1, '=', 1) and (0, '=', 1)
        return lambda record: test(name, operand)
    head, dot, rest = name.partition(".")
    if head not in fields or (dot and (db is None or not fields[head]["relation"])):
        raise ValueError(f"Invalid field {model}.{name} in leaf {tuple(leaf)}")
    if not dot:
        return lambda record: test(record.get(name, False), operand)
    relation = fields[head]["relation"]
    inner = _leaf([rest, leaf[1], operand], db.schema(relation), relation, db)

    def related(record):
        ids = record.get(head)
        ids = ids if isinstance(ids, list) else [] if _null(ids) else [ids]
        table = db.tables.get(relation, {})
        return any(inner(table[rid]) for rid in ids if rid in table)
    return related


def _sort(records, order, fields, model):
    """Sorts by "field [asc|desc], ...", NULLs last ascending and first descending as PostgreSQL."""
    for term in reversed(order.split(",")):
        name, _, direction = term.strip().partition(" ")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise ValueError(f'Invalid "order" specified ({order}).')
        if name not in fields:
            raise ValueError(f"Invalid field {name!r} on model {model!r}")
        records.sort(key=lambda r: (True, 0) if _null(r.get(name)) else (False, r[name]),
                     reverse=direction == "desc")
    return records


# The ORM ----------------------------------------------------------------------------------------

class Database:
    """Records, the schema as ir.model and ir.model.fields rows, and the ORM operations.  Not
    locked: FakeOdoo holds its lock around every call."""

    def __init__(self, login):
        self.tables, self.seq, self.denied = {}, {}, set()
        for model, (description, spec) in SEED_MODELS.items():
            model_id = self._register_model({"name": description, "model": model, "state": "base"})
            for field in spec.split():
                self._register_field(model_id, model, *_parse_field(field), "base")
        self.insert("res.users", {"id": UID, "login": login, "name": "VoiceOps Bot"})
        self.insert("res.partner", {"name": "Maria Lopez", "phone": "+15125550142"})
        self.insert("res.partner", {"name": "James Carter", "mobile": "+15125550177"})
        # The internal users' group, found by its external id as Odoo's own modules find it.
        group = self.insert("res.groups", {"name": "Internal User"})
        self.insert("ir.model.data", {"module": "base", "name": "group_user",
                                      "model": "res.groups", "res_id": group})

    @contextlib.contextmanager
    def transaction(self):
        """An exception inside puts every record back as it was."""
        tables = {model: {i: dict(r) for i, r in t.items()} for model, t in self.tables.items()}
        seq = dict(self.seq)
        try:
            yield
        except BaseException:
            self.tables, self.seq = tables, seq
            raise

    def insert(self, model, values):
        rid = values.get("id") or self.seq.get(model, 0) + 1
        self.seq[model] = max(self.seq.get(model, 0), rid)
        record = {**values, "id": rid, "create_date": _now(), "write_date": _now()}
        if "active" not in values and "active" in self.schema(model):
            record["active"] = True  # Odoo's default for an `active` field
        record["display_name"] = _display_name(model, record)
        self.tables.setdefault(model, {})[rid] = record
        return rid

    def _update(self, model, record, values):
        record.update(values, write_date=_now())
        record["display_name"] = _display_name(model, record)

    def _register_model(self, values):
        model_id = self.insert("ir.model", values)
        self.tables.setdefault(values["model"], {})
        magic = AUTO_FIELDS + (("x_name:char",) if values["state"] == "manual" else ())
        for spec in magic:
            self._register_field(model_id, values["model"], *_parse_field(spec), values["state"])
        return model_id

    def _register_field(self, model_id, model, name, ttype, relation, required, state):
        return self.insert("ir.model.fields", {
            "name": name, "model": model, "model_id": model_id, "ttype": ttype,
            "relation": relation, "required": required, "field_description": _label(name),
            "state": state})

    def schema(self, model):
        rows = self.tables.get("ir.model.fields", {}).values()
        return {row["name"]: row for row in rows if row["model"] == model}

    def model_row(self, model):
        return next((m for m in self.tables["ir.model"].values() if m["model"] == model), None)

    def description(self, model):
        row = self.model_row(model)
        return row["name"] if row else model

    def display_name(self, model, rid):
        record = self.tables.get(model, {}).get(rid)
        return record["display_name"] if record else f"{model},{rid}"

    def xmlid(self, full_name):
        row = self._xmlids().get(_full_xid(full_name))
        return (row["model"], row["res_id"]) if row else None

    def _xmlids(self):
        return {(r["module"], r["name"]): r for r in self.tables["ir.model.data"].values()}

    # Errors as Odoo words them

    def access_error(self, model, operation):
        return AccessError(
            f"You are not allowed to {OPERATIONS[operation]} '{self.description(model)}' ({model})"
            " records.\n\nNo group currently allows this operation.\n\n"
            "Contact your administrator to request access if necessary.")

    def check_access(self, model, operation):
        if operation not in OPERATIONS:
            raise ValueError("Invalid access mode")
        if (model, operation) in self.denied:
            raise self.access_error(model, operation)

    def not_null_error(self, model, name):
        field = self.schema(model).get(name)
        return ValidationError(
            "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted. If possible, archive it"
            f" instead.\n\nModel: {self.description(model)} ({model})\n"
            f"Field: {field['field_description'] if field else _label(name)} ({name})\n")

    def injected_error(self, mode, model, method):
        """The exception a queued failure `mode` raises instead of running the call, or None."""
        model = model or "res.users"
        if mode == "access_denied":
            return AccessDenied("Access Denied")
        if mode == "access_error":
            return self.access_error(model, method if method in OPERATIONS else "read")
        if mode == "validation":
            required = [name for name, field in self.schema(model).items() if field["required"]]
            return self.not_null_error(model, (required + ["name"])[0])
        if mode == "user_error":
            return UserError(f"This {self.description(model)} cannot be changed now (injected).")
        return None

    # The ORM operations, as the RPC methods call them

    def create(self, model, vals_list):
        self.check_access(model, "create")
        schema = self.schema(model)
        special = {"ir.model": self._create_model, "ir.model.fields": self._create_field}.get(model)
        ids = []
        for vals in vals_list:
            values = self._values(model, schema, vals, {})
            self._check_required(model, schema, values, schema)
            ids.append(special(values) if special else self.insert(model, values))
        return ids

    def write(self, model, ids, vals):
        self.check_access(model, "write")
        schema, table, ids = self.schema(model), self.tables.get(model, {}), _as_ids(ids)
        missing = [rid for rid in ids if rid not in table]
        if missing:
            raise MissingError(
                "One of the documents you are trying to access has been deleted, please try again"
                f" after refreshing.\n\n(Document type: {model}, Operation: write,"
                f" Records: {missing[:6]}, User: {UID})")
        for rid in ids:
            values = self._values(model, schema, vals, table[rid])
            self._check_required(model, schema, values, values)
            self._update(model, table[rid], values)
        return True

    def read(self, model, ids, fields=None):
        """Reads the records that exist, as Odoo does: deleted ones are left out."""
        self.check_access(model, "read")
        schema, table = self.schema(model), self.tables.get(model, {})
        names = fields or list(schema)
        for name in names:
            if name not in schema:
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
        return [{"id": rid, **{n: self._read_value(table[rid].get(n), schema[n]) for n in names}}
                for rid in _as_ids(ids) if rid in table]

    def _read_value(self, value, field):
        if _null(value):
            return EMPTY_READ.get(field["ttype"], False)
        if field["ttype"] == "many2one":
            return [value, self.display_name(field["relation"], value)]
        return value

    def search(self, model, domain, offset=0, limit=None, order=None):
        self.check_access(model, "read")
        schema = self.schema(model)
        domain = list(domain or [])
        # Odoo's active_test: archived records are left out unless the domain names `active`.
        if "active" in schema and not any(isinstance(leaf, (list, tuple)) and leaf
                                          and leaf[0] == "active" for leaf in domain):
            domain.append(["active", "=", True])
        match = compile_domain(domain, schema, model, self)
        found = _sort([r for r in self.tables.get(model, {}).values() if match(r)],
                      order or "id", schema, model)
        return [r["id"] for r in found[offset or 0:][:limit or None]]

    def unlink(self, model, ids):
        """Deletes the records and their external ids; records already gone are no error."""
        self.check_access(model, "unlink")
        table, xmlids = self.tables.get(model, {}), self.tables["ir.model.data"]
        gone = {rid for rid in _as_ids(ids) if table.pop(rid, None)}
        for key in [k for k, r in xmlids.items() if r["model"] == model and r["res_id"] in gone]:
            del xmlids[key]
        return True

    def fields_get(self, model, allfields=None, attributes=None):
        result = {}
        for name, field in self.schema(model).items():
            if allfields and name not in allfields:
                continue
            description = {"type": field["ttype"], "string": field["field_description"],
                           "required": bool(field["required"]), "readonly": name in AUTO_NAMES}
            if field["relation"]:
                description["relation"] = field["relation"]
            result[name] = {key: value for key, value in description.items()
                            if not attributes or key in attributes}
        return result

    def _values(self, model, schema, vals, record):
        """`vals` checked against the schema, less the magic fields, many2many commands applied."""
        values = {}
        for name, value in vals.items():
            field = schema.get(name)
            if field is None:
                raise ValueError(f"Invalid field {name!r} on model {model!r}")
            if name not in AUTO_NAMES:
                many = field["ttype"] == "many2many"
                values[name] = _x2many(record.get(name, []), value) if many else value
        return values

    def _check_required(self, model, schema, values, names):
        for name in names:
            if schema[name]["required"] and _null(values.get(name)):
                raise self.not_null_error(model, name)

    def _create_model(self, values):
        """ir.model.create: registers a custom model and its magic fields."""
        name = values["model"]
        values.setdefault("state", "manual")
        if values["state"] == "manual" and not name.startswith("x_"):
            raise ValidationError("The model name must start with 'x_'.")
        if not re.fullmatch(r"[a-z0-9_.]+", name):
            raise ValidationError("The model name can only contain lowercase characters, digits,"
                                  " underscores and dots.")
        if self.model_row(name):
            raise ValidationError("The operation cannot be completed: Each model must have a"
                                  " unique name.")
        return self._register_model(values)

    def _create_field(self, values):
        """ir.model.fields.create: registers a custom field on a model."""
        model = self.tables["ir.model"].get(values["model_id"])
        if model is None:
            raise ValidationError(f"The operation cannot be completed: Key (model_id)="
                                  f"({values['model_id']}) is not present in table \"ir_model\".")
        values = {"relation": False, "required": False, "state": "manual", **values,
                  "model": model["model"]}
        if values["state"] == "manual" and not values["name"].startswith("x_"):
            raise ValidationError("Custom fields must have a name that starts with 'x_'!")
        if values["name"] in self.schema(values["model"]):
            raise ValidationError("The operation cannot be completed: Field names must be unique"
                                  " per model.")
        if values["ttype"] not in TTYPES:
            raise ValueError(f"Wrong value for ir.model.fields.ttype: {values['ttype']!r}")
        if values["ttype"] in ("many2one", "many2many") and not self.model_row(values["relation"]):
            raise ValidationError(f"Unknown model name '{values['relation']}' in Related Model")
        return self.insert("ir.model.fields", values)

    def load(self, model, fields, data):
        """Odoo's load(): every row written, or, when one is bad, none and a message per fault."""
        schema, xmlids = self.schema(model), self._xmlids()
        columns = [_load_column(name) for name in fields]
        rows, messages = [], []
        for index, row in enumerate(data):
            xid, values, errors = self._load_row(model, schema, xmlids, columns, row, index)
            rows.append((xid, values))
            messages += errors
        if messages:
            return {"ids": False, "messages": messages, "nextrow": 0}
        ids = [self._load_apply(model, xmlids, xid, values) for xid, values in rows]
        return {"ids": ids, "messages": [], "nextrow": 0}

    def _load_row(self, model, schema, xmlids, columns, row, index):
        xid, values, errors = None, {}, []
        for (name, kind), cell in zip(columns, row):
            text = "" if _null(cell) else str(cell)
            try:
                if kind == "xid":
                    xid = _full_xid(text)
                else:
                    values[name] = self._load_value(model, schema, xmlids, name, kind, text)
            except _ImportFailure as exc:
                errors.append(_load_message(index, str(exc), name))
        exists = xid in xmlids
        try:
            self.check_access(model, "write" if exists else "create")
        except AccessError as exc:
            errors.append(_load_message(index, str(exc)))
        for name in values if exists else schema:
            if schema[name]["required"] and _null(values.get(name)):
                label = schema[name]["field_description"]
                errors.append(_load_message(
                    index, f"Missing required value for the field '{label}' ({name})", name))
        return xid, values, errors

    def _load_value(self, model, schema, xmlids, name, kind, text):
        field = schema.get(name)
        if field is None:
            raise _ImportFailure(f"Invalid field {name!r} on model {model!r}")
        if not text:
            return [] if field["ttype"] == "many2many" else False
        label, relation = field["field_description"], field["relation"]
        if kind == "ref":
            row = xmlids.get(_full_xid(text))
            if row is None or row["model"] != relation:
                raise _ImportFailure(f"No matching record found for external id '{text}' in field"
                                     f" '{label}'")
            return row["res_id"]
        if kind == "dbid":  # one id, or for a many2many a comma-separated list
            ids = [part.strip() for part in text.split(",")]
            if field["ttype"] != "many2many" and len(ids) != 1:
                ids = [text]
            for part in ids:
                if not part.isdigit() or int(part) not in self.tables.get(relation, {}):
                    raise _ImportFailure(f"No matching record found for database id '{part}' in"
                                         f" field '{label}'")
            return [int(part) for part in ids] if field["ttype"] == "many2many" else int(ids[0])
        if field["ttype"] == "many2one":
            found = [r["id"] for r in self.tables.get(relation, {}).values()
                     if r["display_name"] == text]
            if not found:
                raise _ImportFailure(f"No matching record found for name '{text}' in field"
                                     f" '{label}'")
            return found[0]
        return _convert(field["ttype"], text, label)

    def _load_apply(self, model, xmlids, xid, values):
        row = xmlids.get(xid)
        if row:
            self._update(model, self.tables[model][row["res_id"]], values)
            return row["res_id"]
        rid = self.insert(model, values)
        if xid:
            data_id = self.insert("ir.model.data", {"module": xid[0], "name": xid[1],
                                                    "model": model, "res_id": rid})
            xmlids[xid] = self.tables["ir.model.data"][data_id]
        return rid


def _full_xid(text):
    """(module, name) of an external id; a bare name is in the module __import__."""
    if not text:
        return None
    module, dot, name = text.partition(".")
    return (module, name) if dot else ("__import__", text)


def _load_column(name):
    """A load() column as (field, kind): 'xid' for id, 'ref' for field/id (an external id),
    'dbid' for field/.id (a database id), 'value' for the rest."""
    if name == "id":
        return name, "xid"
    for suffix, kind in (("/.id", "dbid"), ("/id", "ref")):
        if name.endswith(suffix):
            return name[:-len(suffix)], kind
    return name, "value"


def _load_message(index, message, field=None):
    entry = {"type": "error", "message": message, "record": index,
             "rows": {"from": index, "to": index}}
    if field:
        entry["field"] = field
    return entry


def _checked_time(fmt):
    def parse(text):
        datetime.datetime.strptime(text, fmt)
        return text
    return parse


CONVERSIONS = {  # how load() reads a cell of each ttype, and its complaint when it cannot
    "integer": (int, "'{}' does not seem to be an integer for field '{}'"),
    "float": (float, "'{}' does not seem to be a number for field '{}'"),
    "monetary": (float, "'{}' does not seem to be a number for field '{}'"),
    "date": (_checked_time("%Y-%m-%d"), "'{}' does not seem to be a valid date for field '{}'"),
    "datetime": (_checked_time("%Y-%m-%d %H:%M:%S"),
                 "'{}' does not seem to be a valid datetime for field '{}'"),
    "boolean": (lambda text: text.lower() not in ("0", "false", "no", "off"), ""),
}


def _convert(ttype, text, label):
    parse, complaint = CONVERSIONS.get(ttype, (str, ""))
    try:
        return parse(text)
    except ValueError:
        raise _ImportFailure(complaint.format(text, label)) from None


# What RPC may call --------------------------------------------------------------------------------

def api_model(method):
    """Marks a method that takes no ids, as Odoo's @api.model does."""
    method._api_model = True
    return method


class BaseModel:
    """A recordset with the methods Odoo lets RPC call, under Odoo's signatures, so that
    arguments bind (and fail to) as they do in Odoo."""

    def __init__(self, db, name, ids=()):
        self._db, self._name, self._ids = db, name, _as_ids(ids)

    @api_model
    def create(self, vals_list):
        many = vals_list if isinstance(vals_list, list) else [vals_list]
        return self._db.create(self._name, many)

    def write(self, vals):
        return self._db.write(self._name, self._ids, vals)

    def read(self, fields=None, load="_classic_read"):
        return self._db.read(self._name, self._ids, fields)

    def unlink(self):
        return self._db.unlink(self._name, self._ids)

    @api_model
    def search(self, domain, offset=0, limit=None, order=None):
        return self._db.search(self._name, domain, offset, limit, order)

    @api_model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None):
        return self._db.read(self._name, self.search(domain, offset, limit, order), fields)

    @api_model
    def search_count(self, domain, limit=None):
        return len(self.search(domain, limit=limit))

    @api_model
    def load(self, fields, data):
        return self._db.load(self._name, fields, data)

    @api_model
    def fields_get(self, allfields=None, attributes=None):
        return self._db.fields_get(self._name, allfields, attributes)

    @api_model
    def check_access_rights(self, operation, raise_exception=True):
        try:
            self._db.check_access(self._name, operation)
        except AccessError:
            if raise_exception:
                raise
            return False
        return True


class Users(BaseModel):
    @api_model
    def context_get(self):
        return {"lang": "en_US", "tz": "UTC", "uid": UID}


MODEL_CLASSES = {"res.users": Users}


class _LegacyCall:
    """A POST /jsonrpc request and its HTTP 200 envelopes."""
    endpoint = "jsonrpc"

    def __init__(self, request):
        params = request.get("params") if isinstance(request.get("params"), dict) else {}
        self.id, self.service = request.get("id"), params.get("service")
        self.function = params.get("method")
        self.args = params.get("args") if isinstance(params.get("args"), list) else []
        is_object = self.service == "object" and len(self.args) >= 5
        self.model = self.args[3] if is_object else None
        self.method = self.args[4] if is_object else self.function
        extra = self.args[5:] + [None, None]
        self.rows = _rows(self.method, extra[0], extra[1]) if is_object else 0

    def success(self, result):
        return _json_reply(200, {"jsonrpc": "2.0", "id": self.id, "result": result})

    def failure(self, exc, status=200):
        error = {"code": 200, "message": "Odoo Server Error", "data": serialize_exception(exc)}
        return _json_reply(status, {"jsonrpc": "2.0", "id": self.id, "error": error})


class _Json2Call:
    """A POST /json/2/<model>/<method> request: bare results, errors by HTTP status."""
    endpoint = "json2"

    def __init__(self, model, method, headers, body):
        self.model, self.method, self.headers = model, method, headers
        self.params, self.error = {}, None
        try:
            params = json.loads(body) if body else {}
        except ValueError as exc:
            self.error = BadRequest(f"could not parse the body as json: {exc.args[0]}")
        else:
            if isinstance(params, dict):
                self.params = params
            else:
                self.error = BadRequest("could not parse the body, expecting a json object")
        self.rows = _rows(method, [], self.params)

    def success(self, result):
        return _json_reply(200, result)

    def failure(self, exc, status=None):
        if status is None:
            is_http = isinstance(exc, HTTPException)
            status = exc.code if is_http else getattr(exc, "http_status", 500)
        headers = (("WWW-Authenticate", "Bearer"),) if isinstance(exc, Unauthorized) else ()
        return _json_reply(status, serialize_exception(exc), headers)


@dataclasses.dataclass
class _Failure:
    mode: str
    count: int
    model: str | None = None
    method: str | None = None

    def matches(self, model, method):
        return self.model in (None, model) and self.method in (None, method)


class FakeOdoo(LoopbackFake):
    """The fake server: start() it, give the client its url, queue failures with fail()."""
    name = "fake-odoo"
    server_header = "Werkzeug/3.0.1"
    max_body = 64 * 1024 * 1024

    def __init__(self, version=17, database="prod", login="voiceops@example.com",
                 api_key="test-key-0123", host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.version, self.database, self.login, self.api_key = version, database, login, api_key
        self._lock = threading.Lock()  # around the records, denials, failures and request log
        self._db = Database(login)
        self._failures, self._log = [], []


    def fail(self, mode, count=1, model=None, method=None):
        """Queues `count` failures of `mode` for the calls on `model` and `method` (None: any)."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r}; the modes are {', '.join(MODES)}")
        if count < 1:
            raise ValueError("a failure is queued for at least one call")
        with self._lock:
            self._failures.append(_Failure(mode, count, model, method))

    def deny(self, model, operation):
        """Refuses `operation` (read, write, create or unlink) on `model` with AccessError."""
        if operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}; the operations are"
                             f" {', '.join(OPERATIONS)}")
        with self._lock:
            self._db.denied.add((model, operation))

    def allow_all(self):
        with self._lock:
            self._db.denied.clear()

    def reset(self, records=False):
        """Forgets failures, denials and requests; and the records (back to the seed) if asked."""
        with self._lock:
            self._failures.clear()
            self._log.clear()
            self._db.denied.clear()
            if records:
                self._db = Database(self.login)

    def records(self, model):
        with self._lock:
            return [dict(record) for record in self._db.tables.get(model, {}).values()]

    def requests(self):
        """The requests to /jsonrpc and /json/2 so far: {endpoint, model, method, rows}."""
        with self._lock:
            return [dict(entry) for entry in self._log]

    def count_requests(self, model=None, method=None):
        return sum(1 for entry in self.requests()
                   if model in (None, entry["model"]) and method in (None, entry["method"]))

    def xmlid(self, full_name):
        """(model, res_id) of an external id "module.name", or None."""
        with self._lock:
            return self._db.xmlid(full_name)

    # Serving

    def _handle(self, command, target, headers, body):
        """The reply to one HTTP request."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(target).path)
        if path.startswith("/__fake__/"):
            return self._control(command, path[len("/__fake__/"):], body)
        json2 = re.fullmatch(r"/json/2/([^/]+)/([^/]+)", path)
        if command == "POST" and json2:
            return self._serve_json2(_Json2Call(*json2.groups(), headers, body))
        if command == "POST" and path == "/jsonrpc":
            return self._serve_jsonrpc(body)
        return NOT_FOUND_REPLY

    def _serve_jsonrpc(self, body):
        try:
            request = json.loads(body)
        except ValueError:
            return Reply(400, "text/html; charset=utf-8", b"Invalid JSON data")
        if not isinstance(request, dict):
            return Reply(400, "text/html; charset=utf-8", b"Invalid JSON-RPC data")
        return self._serve(_LegacyCall(request))

    def _serve_json2(self, call):
        """Before Odoo 19, or for another database, there is no such route."""
        database = call.headers.get("X-Odoo-Database", self.database)
        if self.version < 19 or database != self.database:
            self._note(call)
            return NOT_FOUND_REPLY
        return self._serve(call)

    def _serve(self, call):
        """Runs the call as one transaction, through the failure queued for it if any."""
        self._note(call)
        mode = self._take_failure(call.model, call.method)
        if mode == "hang":
            return HANG
        if mode == "slow":
            self._hang()  # outside the lock: the other calls are served meanwhile
        if mode == "http_502":
            return BAD_GATEWAY_REPLY
        if mode == "http_500":
            return call.failure(_raised(Exception("Internal Server Error")), 500)
        execute = self._legacy if call.endpoint == "jsonrpc" else self._json2
        with self._lock:
            try:
                with self._db.transaction():
                    reply = call.success(execute(call, mode))
            except Exception as exc:  # whatever a call raises goes to the client, as in Odoo
                reply = call.failure(exc)
        if mode == "drop_after_commit":
            return DROP
        if mode == "malformed":
            return reply._replace(body=reply.body[:len(reply.body) // 2])
        return reply

    def _legacy(self, call, mode):
        """odoo.http.dispatch_rpc, for the common and object services."""
        if call.service == "common":
            return self._common(call.function, call.args, mode)
        if call.service == "object":
            return self._object(call, mode)
        raise KeyError(call.service)

    def _common(self, function, args, mode):
        exported = {"version": self._exp_version, "authenticate": self._exp_authenticate,
                    "login": self._exp_login}.get(function)
        if exported is None:
            raise KeyError(f"exp_{function}")
        if mode == "access_denied" and function != "version":
            return False  # Odoo answers false, not an error, when it denies a login
        self._raise_injected(mode, None, function)
        return exported(*args)

    def _exp_version(self):
        serie = f"{self.version}.0"
        return {"server_version": serie,
                "server_version_info": [self.version, 0, 0, "final", 0, ""],
                "server_serie": serie, "protocol_version": 1}

    def _exp_authenticate(self, db, login, password, user_agent_env):
        self._check_database(db)
        return UID if (login, password) == (self.login, self.api_key) else False

    def _exp_login(self, db, login, password):
        return self._exp_authenticate(db, login, password, {})

    def _check_database(self, db):
        if db != self.database:
            raise OperationalError('connection to server on socket'
                                   ' "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database'
                                   f' "{db}" does not exist\n')

    def _object(self, call, mode):
        """odoo.service.model.dispatch: execute_kw(db, uid, key, model, method, args[, kwargs])."""
        if call.function != "execute_kw":
            raise NameError(f"Method not available {call.function}")
        db, uid, key = call.args[0], int(call.args[1]), call.args[2]
        self._check_database(db)
        if (uid, key) != (UID, self.api_key):
            raise AccessDenied("Access Denied")
        self._raise_injected(mode, call.model, call.method)
        return self._execute_kw(*call.args[3:])

    def _execute_kw(self, model, method, args, kw=None):
        cls = self._model_class(model)
        if cls is None:
            raise UserError(f"Object {model} doesn't exist")
        func = self._public_method(cls, model, method, AttributeError)
        kwargs = {name: value for name, value in (kw or {}).items() if name != "context"}
        if getattr(func, "_api_model", False):
            result = func(cls(self._db, model), *args, **kwargs)
            one = method == "create" and args and isinstance(args[0], dict)
            return result[0] if one else result
        return func(cls(self._db, model, args[0]), *args[1:], **kwargs)

    def _json2(self, call, mode):
        """odoo.addons.web.controllers.json2: bearer authentication, then the named call."""
        bearer = re.fullmatch(r"bearer\s+(.+)", call.headers.get("Authorization") or "", re.I)
        if mode == "access_denied" or not bearer or bearer.group(1) != self.api_key:
            raise Unauthorized("Invalid apikey")
        self._raise_injected(mode, call.model, call.method)
        if call.error:
            raise call.error
        params = dict(call.params)
        ids = params.pop("ids", [])
        params.pop("context", None)
        cls = self._model_class(call.model)
        if cls is None:
            raise NotFound(f"the model {call.model!r} does not exist")
        func = self._public_method(cls, call.model, call.method, NotFound)
        if getattr(func, "_api_model", False) and ids:
            raise UnprocessableEntity(f"cannot call {call.model}.{call.method} with ids")
        records = cls(self._db, call.model, ids)
        try:
            inspect.signature(func).bind(records, **params)
        except TypeError as exc:
            raise UnprocessableEntity(exc.args[0]) from None
        return func(records, **params)

    def _model_class(self, model):
        return MODEL_CLASSES.get(model, BaseModel) if self._db.model_row(model) else None

    def _public_method(self, cls, model, method, missing):
        """get_public_method (Odoo 18 on) or call_kw (before): private names are an
        AccessError, unknown ones `missing`."""
        modern = self.version >= 18
        if method.startswith("_"):
            example = f"'{model}.{method}'" if modern else method
            raise AccessError(f"Private methods (such as {example}) cannot be called remotely.")
        func = getattr(cls, method, None)
        if not callable(func):
            raise missing(f"The method '{model}.{method}' does not exist" if modern
                          else f"The method '{method}' does not exist on the model '{model}'")
        return func

    def _raise_injected(self, mode, model, method):
        error = self._db.injected_error(mode, model, method)
        if error:
            raise error

    def _take_failure(self, model, method):
        with self._lock:
            failure = next((f for f in self._failures if f.matches(model, method)), None)
            if failure is None:
                return None
            failure.count -= 1
            if failure.count == 0:
                self._failures.remove(failure)
            return failure.mode

    def _note(self, call):
        with self._lock:
            self._log.append({"endpoint": call.endpoint, "model": call.model, "method": call.method,
                              "rows": call.rows})

    # Control endpoints

    def _control(self, command, route, body):
        """/__fake__/...: drives this fake from a shell script or another process."""
        actions = {"fail": self._control_fail,
                   "deny": lambda p: self.deny(p["model"], p["operation"]),
                   "allow_all": lambda p: self.allow_all(),
                   "reset": lambda p: self.reset(records=bool(p.get("records")))}
        try:
            payload = json.loads(body) if body else {}
            if command == "GET" and route == "requests":
                return _json_reply(200, self.requests())
            if command == "GET" and route.startswith("records/"):
                return self._control_records(route[len("records/"):])
            if command != "POST" or route not in actions:
                return _json_reply(404, {"error": f"no endpoint {command} /__fake__/{route}"})
            actions[route](payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _json_reply(400, {"error": str(exc)})
        return _json_reply(200, {"ok": True})

    def _control_records(self, model):
        with self._lock:
            known = self._db.model_row(model) is not None
        if not known:
            return _json_reply(404, {"error": f"unknown model {model!r}"})
        return _json_reply(200, self.records(model))

    def _control_fail(self, payload):
        if "hang_seconds" in payload:
            self.hang_seconds = float(payload["hang_seconds"])
        self.fail(payload["mode"], int(payload.get("count", 1)), payload.get("model"),
                  payload.get("method"))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serves a fake Odoo until SIGTERM or SIGINT.")
    parser.add_argument("--version", type=int, default=17,
                        help="Odoo's major version; JSON-2 from 19")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 for any free port")
    parser.add_argument("--port-file", help="where to write the port once listening")
    parser.add_argument("--database", default="prod")
    parser.add_argument("--login", default="voiceops@example.com")
    parser.add_argument("--api-key", default="test-key-0123")
    args = parser.parse_args(argv)
    fake = FakeOdoo(args.version, args.database, args.login, args.api_key, args.host, args.port)
    serve_until_signal(fake, args.port_file)


if __name__ == "__main__":
    main()
