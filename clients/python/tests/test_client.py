"""The Python client against a running Countersign (COUNTERSIGN_URL; started by PythonClientIT in ./mvnw verify).

    COUNTERSIGN_URL=http://localhost:8080 python3 -m unittest discover -s clients/python/tests -v
"""

import json
import os
import sys
import threading
import time
import unittest
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import countersign  # noqa: E402

URL = os.environ.get("COUNTERSIGN_URL", "http://localhost:8080")
AGENT = "python-agent"


def token(client_id, secret):
    return countersign.Countersign(URL, agent=(client_id, secret))._agent()


def decide_next_ask(tool, approver, vote):
    """Waits until python-agent has a pending ask for tool that approver may decide, and decides it."""
    bearer = {"Authorization": "Bearer " + token(approver, approver)}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with urllib.request.urlopen(urllib.request.Request(URL + "/api/v1/approvals", headers=bearer)) as response:
            items = [i for i in json.load(response)["items"] if i["agent"] == AGENT and i["tool"] == tool]
        if items:
            body = json.dumps({"vote": vote, "comment": "checked by the Python suite"}).encode()
            request = urllib.request.Request(f"{URL}/api/v1/actions/{items[0]['id']}/votes", data=body, method="POST",
                                             headers={**bearer, "Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:
                assert response.status == 200
            return items[0]["id"]
        time.sleep(0.1)
    raise AssertionError(f"no pending ask of {AGENT} for {tool}")


def payment(amount):
    return {"from": "acct-ops", "to": "acct-vendor-17", "amount": amount, "memo": f"python {uuid.uuid4()}"}


class GuardedTest(unittest.TestCase):

    def setUp(self):
        self.gate = countersign.Countersign(URL, agent=(AGENT, AGENT + "-secret"),
                                            gateway=("tool-gateway", "tool-gateway-secret"), first_backoff=0.05)
        self.ran = []

    def test_a_tool_policy_allows_runs_at_once_and_the_hash_is_the_servers(self):
        @self.gate.guarded(tool="docs.read")
        def read_docs(**arguments):
            self.ran.append(arguments)
            return "read"

        arguments = {"page": "runbook", "zoom": 1.5e-7, "lines": [1, 2.0, 1e21], "title": "Caf\u00e9 \u20ac"}
        self.assertEqual(read_docs(**arguments), "read")
        self.assertEqual(self.ran, [arguments])
        asked = self.gate.ask("docs.read", arguments, call_id=str(uuid.uuid4()))
        self.assertEqual(asked["actionHash"], countersign.action_hash("docs.read", arguments))

    def test_a_payment_runs_after_people_approve_it(self):
        @self.gate.guarded(tool="payments.transfer", within=30)
        def transfer(**arguments):
            self.ran.append(arguments["amount"])
            return "transferred"

        result = {}
        worker = threading.Thread(target=lambda: result.update(answer=transfer(**payment("110.00"))))
        worker.start()
        decide_next_ask("payments.transfer", "alice", "APPROVE")
        worker.join(30)
        self.assertEqual(result.get("answer"), "transferred")
        self.assertEqual(self.ran, ["110.00"])

    def test_a_denied_call_does_not_run_and_says_why(self):
        @self.gate.guarded(tool="db.drop_table")
        def drop(**arguments):
            self.ran.append(arguments)

        with self.assertRaises(countersign.Refused) as refused:
            drop(database=f"prod-orders-{uuid.uuid4().hex[:8]}")
        self.assertEqual(refused.exception.status, "DENIED")
        self.assertEqual(refused.exception.reason, "Agents never drop production databases")
        self.assertEqual(self.ran, [])

    def test_calling_again_neither_asks_people_twice_nor_runs_twice(self):
        @self.gate.guarded(tool="payments.transfer", within=30)
        def transfer(**arguments):
            self.ran.append(arguments["amount"])
            return "transferred"

        arguments = payment("115.00")
        result = {}
        worker = threading.Thread(target=lambda: result.update(answer=transfer(**arguments)))
        worker.start()
        approved = decide_next_ask("payments.transfer", "bob", "APPROVE")
        worker.join(30)
        self.assertEqual(result.get("answer"), "transferred")

        with self.assertRaises(countersign.Refused) as again:
            transfer(**arguments)
        self.assertEqual((again.exception.code, again.exception.request["id"]), ("grant_already_redeemed", approved))
        self.assertEqual(self.ran, ["115.00"])

    def test_a_grant_is_refused_for_other_arguments(self):
        arguments = payment("125.00")
        asked = self.gate.ask("payments.transfer", arguments)
        decide_next_ask("payments.transfer", "alice", "APPROVE")
        approved = self.gate.await_decision(asked["id"], 30)
        self.assertEqual(approved["status"], "APPROVED")

        with self.assertRaises(countersign.Refused) as refused:
            self.gate.run_approved(approved, "payments.transfer", {**arguments, "amount": "1250.00"}, lambda: self.ran.append("ran"))
        self.assertEqual(refused.exception.code, "grant_invalid")
        self.assertEqual(self.ran, [])

    def test_a_refused_ask_is_a_problem_with_its_code(self):
        with self.assertRaises(countersign.CountersignProblem) as problem:
            self.gate.ask("payments.teleport", {"to": "mars"})
        self.assertEqual((problem.exception.status, problem.exception.code), (422, "unknown_tool"))


if __name__ == "__main__":
    unittest.main()
