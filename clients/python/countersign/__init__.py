"""Countersign for Python agents: ask before a tool runs, wait for people, run the tool only with its grant.

Standard library only. The smallest program::

    import countersign

    gate = countersign.Countersign("http://localhost:8080",
                                   agent=("billing-agent", "billing-agent-secret"),
                                   gateway=("tool-gateway", "tool-gateway-secret"))

    @gate.guarded(tool="payments.transfer", within=600)
    def transfer(**arguments):
        ...  # runs only once Countersign approved exactly these arguments

    transfer(**{"from": "acct-ops", "to": "acct-vendor-17", "amount": "120.00"})

A refused call raises ``Refused`` (``status``: DENIED, EXPIRED, CANCELLED, or REFUSED when the grant was refused at
redemption); one people have not decided by the deadline raises ``StillPending``; Countersign's refusals of the ask
itself raise ``CountersignProblem`` with the API's stable ``code``.
"""

import base64
import decimal
import functools
import hashlib
import json
import math
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

__all__ = ["Countersign", "CountersignProblem", "Refused", "StillPending", "Unavailable", "action_hash", "canonical_json"]

LONGEST_WAIT = 60


class CountersignProblem(Exception):
    """Countersign refused a call: the HTTP status and the problem's stable ``code`` (decide by the code)."""

    def __init__(self, status, code, detail, problem=None):
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail, self.problem = status, code, detail, problem or {}


class Unavailable(Exception):
    """Countersign could not be reached, or stayed unavailable until the deadline: nothing is known to have run."""


class Refused(Exception):
    """The call did not run. ``reason`` is worded for people: hand it to the model so that it can explain."""

    def __init__(self, request, status, reason, code=None):
        super().__init__(f"Not run: Countersign {status}{f' ({code})' if code else ''} - {reason} [request {request.get('id')}]")
        self.request, self.status, self.reason, self.code = request, status, reason, code


class StillPending(Exception):
    """People had not decided by the deadline; asking again with the same call id joins the same request."""

    def __init__(self, request):
        super().__init__(f"Not run yet: waiting for people to approve Countersign request {request.get('id')}")
        self.request = request


def canonical_json(value):
    """RFC 8785 (JCS): keys sorted by UTF-16 code units, no spaces, numbers as ECMAScript writes them."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _es_number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k]) for k in keys) + "}"
    raise TypeError(f"not JSON: {type(value).__name__}")


def _es_number(x):
    if math.isnan(x) or math.isinf(x):
        raise ValueError("NaN and infinities are not JSON")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    parts = decimal.Decimal(repr(abs(x))).as_tuple()  # repr: the shortest digits that read back as x, as ECMAScript's
    digits = "".join(map(str, parts.digits))
    exponent = parts.exponent + len(digits) - len(digits.rstrip("0"))
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return sign + mantissa + "e" + ("+" if e > 0 else "-") + str(abs(e))


def action_hash(tool, arguments):
    """What a grant is bound to: sha256 of the canonical JSON of {tool, arguments}."""
    canonical = canonical_json({"tool": tool, "arguments": arguments})
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _ClientCredentials:
    def __init__(self, token_url, client_id, secret):
        self.token_url, self.client_id, self.secret = token_url, client_id, secret
        self._token, self._renew_at = None, 0.0

    def __call__(self):
        if self._token is None or time.monotonic() >= self._renew_at:
            basic = base64.b64encode(f"{urllib.parse.quote(self.client_id)}:{urllib.parse.quote(self.secret)}".encode()).decode()
            request = urllib.request.Request(self.token_url, data=b"grant_type=client_credentials", method="POST", headers={
                "Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = json.load(response)
            except urllib.error.HTTPError as refused:
                raise CountersignProblem(refused.code, "unauthorized", f"the token endpoint refused client {self.client_id}") from None
            except OSError as e:
                raise Unavailable(f"could not reach the token endpoint {self.token_url}: {e}") from e
            self._token = body["access_token"]
            expires_in = body.get("expires_in", 300)
            self._renew_at = time.monotonic() + max(expires_in - 60, expires_in / 2)
        return self._token


class _RetryLater(Exception):
    def __init__(self, failure, retry_after=None):
        super().__init__(str(failure))
        self.failure, self.retry_after = failure, retry_after


class Countersign:
    """The agent's side of Countersign: ask, wait, cancel, and the grant hand-off to the tool."""

    def __init__(self, base_url, *, agent, gateway=None, first_backoff=0.25, longest_backoff=10.0):
        self.base_url = base_url.rstrip("/")
        self._agent = self._tokens(agent)
        self._gateway = self._tokens(gateway) if gateway else None
        self.first_backoff, self.longest_backoff = first_backoff, longest_backoff

    def _tokens(self, source):
        if callable(source):
            return source
        if isinstance(source, str):
            return lambda: source
        client_id, secret = source
        return _ClientCredentials(self.base_url + "/oauth2/token", client_id, secret)

    def ask(self, tool, arguments, *, call_id=None, justification=None, on_behalf_of=None, session_id=None):
        """Asks. A retry with the same call id is answered the very same request. Without one, each ask is a new call;
        a retry is still neither asked twice nor run twice (Countersign joins an identical pending or just-approved
        action, and a grant runs once), but an action policy allows at once runs again."""
        body = {"tool": tool, "arguments": arguments}
        for field, value in (("justification", justification), ("onBehalfOf", on_behalf_of), ("sessionId", session_id)):
            if value is not None:
                body[field] = value
        # Once per ask, so that its own retries send the same key; a call id makes a retried step's key the same too.
        key = "call-" + hashlib.sha256(call_id.encode()).hexdigest() if call_id is not None else f"ask-{uuid.uuid4()}"
        return self._retrying(time.monotonic() + 30, lambda: self._send("POST", "/api/v1/actions", self._agent, body,
                                                                         {"Idempotency-Key": key}))

    def read(self, request_id):
        return self._retrying(time.monotonic() + 30, lambda: self._send("GET", f"/api/v1/actions/{request_id}", self._agent))

    def await_decision(self, request_id, within):
        """Long-polls until the request leaves PENDING or ``within`` seconds pass; answers it as last read."""
        deadline = time.monotonic() + within
        request = self.read(request_id)
        pause = self.first_backoff
        while request["status"] == "PENDING":
            left = int(deadline - time.monotonic())
            if left <= 0:
                return request
            wait = min(LONGEST_WAIT, left)
            polled = time.monotonic()
            request = self._retrying(deadline, lambda: self._send("GET", f"/api/v1/actions/{request_id}?wait={wait}",
                                                                  self._agent, timeout=wait + 15))
            if request["status"] == "PENDING" and time.monotonic() - polled < wait / 2:
                # Answered well before the wait asked for (an instance without its database answers the request as
                # last read): pause before the next poll rather than asking again at once.
                time.sleep(max(0.0, min(pause * (0.5 + random.random() / 2), deadline - time.monotonic())))
                pause = min(pause * 2, self.longest_backoff)
            else:
                pause = self.first_backoff
        return request

    def cancel(self, request_id):
        return self._retrying(time.monotonic() + 30, lambda: self._send("POST", f"/api/v1/actions/{request_id}/cancel", self._agent))

    def redeem(self, grant, tool, arguments):
        """Redeems with the tool gateway's token, for the hash of the arguments about to run. Never retried."""
        if self._gateway is None:
            raise ValueError("redeeming needs the tool gateway's credentials: Countersign(..., gateway=(id, secret))")
        try:
            return self._send("POST", "/api/v1/grants/redeem", self._gateway,
                              {"grant": grant["token"], "actionHash": action_hash(tool, arguments)})
        except _RetryLater as lost:
            raise lost.failure from None

    def run_approved(self, request, tool, arguments, run):
        """Runs ``run()`` only if ``request`` is APPROVED and its grant redeems for ``tool`` with ``arguments``."""
        if request["status"] == "PENDING":
            raise StillPending(request)
        if request["status"] != "APPROVED" or not request.get("grant"):
            decision = request.get("decision") or {}
            raise Refused(request, request["status"], decision.get("reason") or request["status"])
        try:
            self.redeem(request["grant"], tool, arguments)
        except CountersignProblem as refused:
            reason = {"grant_already_redeemed": "this approved call already ran once; a grant runs a call once",
                      "grant_invalid": "the grant is not for this call (other arguments than were approved, or expired)"}
            raise Refused(request, "REFUSED", reason.get(refused.code, str(refused)), refused.code) from None
        return run()

    def guarded(self, *, tool, within=300, call_id=None):
        """A decorator: calling the function (keyword arguments = the tool's arguments) asks first, and runs it only
        with a grant redeemed for exactly those arguments. ``call_id(arguments)`` may name the step for retries."""
        def decorate(function):
            @functools.wraps(function)
            def guarded_call(**arguments):
                request = self.ask(tool, arguments, call_id=call_id(arguments) if call_id else None)
                if request["status"] == "PENDING":
                    request = self.await_decision(request["id"], within)
                return self.run_approved(request, tool, arguments, lambda: function(**arguments))
            return guarded_call
        return decorate

    def _send(self, method, path, tokens, body=None, headers=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Authorization": "Bearer " + tokens(), "Accept": "application/json", **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as answer:
            text = answer.read().decode("utf-8", "replace")
            try:
                problem = json.loads(text)
            except ValueError:
                problem = {"detail": text}
            failure = CountersignProblem(answer.code, problem.get("code", f"http_{answer.code}"), problem.get("detail", ""), problem)
            if answer.code in (429, 503):
                retry_after = answer.headers.get("Retry-After")
                raise _RetryLater(failure, float(retry_after) if retry_after and retry_after.isdigit() else None) from None
            raise failure from None
        except OSError as e:
            raise _RetryLater(Unavailable(f"Countersign at {self.base_url} did not answer: {e}")) from None

    def _retrying(self, deadline, call):
        pause = self.first_backoff
        while True:
            try:
                return call()
            except _RetryLater as later:
                wait = later.retry_after if later.retry_after is not None else pause * (0.5 + random.random() / 2)
                if time.monotonic() + wait > deadline:
                    raise (later.failure if isinstance(later.failure, Unavailable)
                           else Unavailable(f"Countersign stayed unavailable until the deadline: {later.failure}")) from None
                time.sleep(wait)
                pause = min(pause * 2, self.longest_backoff)
