"""50 athletes logging sets on their phones and 5 coaches browsing, against one server.

Each athlete logs the sets of their program in order; one set in ten is sent twice with the same
id, as a flaky connection would. Every id the server acknowledged is written to the file in
LOAD_ACKED_FILE when the run stops, so loadtest/run.py can check the database: no set lost, none
duplicated.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN_FILE"]) as plan_file:
    PLAN = json.load(plan_file)
ATHLETES = itertools.cycle(sorted(PLAN["athletes"]))
COACHES = itertools.cycle(PLAN["coaches"])
ACKNOWLEDGED = set()
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(user, username):
    page = user.client.get("/accounts/login/", name="login page")
    token = CSRF_INPUT.search(page.text).group(1)
    response = user.client.post(
        "/accounts/login/",
        {"login": username, "password": PLAN["password"], "csrfmiddlewaretoken": token},
        name="log in",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not log in: {response.status_code}")


class Athlete(HttpUser):
    weight = 10
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.username = next(ATHLETES)
        self.sets = iter(PLAN["athletes"][self.username])
        log_in(self, self.username)
        self.client.get("/today/", name="today")

    @task
    def log_next_set(self):
        planned = next(self.sets, None)
        if planned is None:
            self.client.get("/history/", name="history")
            return
        set_id = str(uuid.uuid4())
        data = {
            "id": set_id,
            "prescription": planned["prescription"],
            "set_number": planned["set_number"],
            "side": planned["side"],
            "reps": planned["reps"] or "",
            "hold_seconds": planned["hold_seconds"] or "",
            "load": "" if planned["hold_seconds"] else "40",
            "rpe": "7",
        }
        headers = {
            "Accept": "application/json",
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
        }
        url = f"/sessions/{planned['session']}/sets/"
        sends = 2 if random.random() < 0.1 else 1
        for attempt in range(sends):
            name = "log set" if attempt == 0 else "log set (retry)"
            with self.client.post(
                url, data=data, headers=headers, name=name, catch_response=True
            ) as response:
                expected = 201 if attempt == 0 else 200
                if response.status_code == expected and response.json()["id"] == set_id:
                    ACKNOWLEDGED.add(set_id)
                    response.success()
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")


class Coach(HttpUser):
    weight = 1
    fixed_count = 5
    wait_time = between(1, 3)

    def on_start(self):
        coach = next(COACHES)
        self.athlete_ids = coach["athlete_ids"]
        log_in(self, coach["username"])

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def athlete_page(self):
        self.client.get(f"/athletes/{random.choice(self.athlete_ids)}/", name="athlete page")

    @task(1)
    def athlete_calendar(self):
        athlete_id = random.choice(self.athlete_ids)
        self.client.get(f"/athletes/{athlete_id}/calendar/", name="athlete calendar")

    @task(1)
    def roster(self):
        self.client.get("/athletes/", name="athlete list")


@events.test_stop.add_listener
def write_acknowledged(**kwargs):
    with open(os.environ["LOAD_ACKED_FILE"], "w") as out:
        json.dump(sorted(ACKNOWLEDGED), out)
