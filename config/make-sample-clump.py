#!/usr/bin/env python3
"""Writes config/sample-clump.csv: one morning's credit clearance for the README tour.

Deterministic (fixed seed): about 300 orders from 40 customers in four tiers,
cleared in three clumps between 06:00 and 09:30 UTC on 2026-11-23, for depots
north and south. A few big customers place many orders; most place one or two.
Some orders carry a not_before or a Sales deadline; some notes need CSV quoting.

Usage: python3 config/make-sample-clump.py > config/sample-clump.csv
"""
import csv
import random
import sys

rng = random.Random(20261123)

# 40 customers: 4 platinum, 8 gold, 16 standard, 12 basic, each with a home depot.
customers = []
cid = 1007
for tier, count in [("platinum", 4), ("gold", 8), ("standard", 16), ("basic", 12)]:
    for _ in range(count):
        customers.append({"id": f"C-{cid}", "tier": tier, "depot": rng.choice(["north", "south"])})
        cid += rng.randint(1, 37)

# Big accounts (two platinum, one gold, one basic reseller) and how many orders they place.
big = {customers[0]["id"]: 52, customers[1]["id"]: 30, customers[4]["id"]: 38, customers[30]["id"]: 27}
TOTAL = 300

NOTES = [
    "call ahead, gate code 4412",
    "leave with reception, 2nd floor",
    'customer says "urgent" — was promised Friday',
    "one-off deal: free install",
    'fragile: glass panels, "this side up"',
    "deliver to loading bay B, not the shop front",
    "replacement for damaged unit, RMA 7781",
    "site closes at 16:00, no weekend access",
]

# The three clumps: (first second, last second of the day, how many orders).
clumps = [(6 * 3600, 6 * 3600 + 20 * 60, 150), (7 * 3600 + 45 * 60, 8 * 3600 + 5 * 60, 90),
          (9 * 3600 + 10 * 60, 9 * 3600 + 30 * 60, 60)]

orders = []
plan = []
for c in customers:
    n = big.get(c["id"], rng.choice([1, 1, 1, 1, 2, 2, 3, 4]))
    plan += [c] * n
while len(plan) < TOTAL:  # top up from the mid-sized accounts
    plan.append(rng.choice(customers[5:12] + customers[14:20]))
rng.shuffle(plan)
plan = plan[:TOTAL]

i = 0
for start, end, size in clumps:
    times = sorted(rng.randint(start, end) for _ in range(size))
    for t in times:
        if i >= len(plan):
            break
        c = plan[i]
        i += 1
        units = rng.choice([1, 1, 2, 2, 3, 3, 4, 5]) if rng.random() < 0.9 else rng.randint(10, 20)
        depot = c["depot"] if rng.random() < 0.85 else ("south" if c["depot"] == "north" else "north")
        not_before = deadline = notes = ""
        r = rng.random()
        if r < 0.06:
            not_before = rng.choice(["2026-11-26T00:00:00Z", "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z"])
        elif r < 0.16:
            deadline = rng.choice(["2026-11-24T06:00:00Z", "2026-11-24T09:00:00Z", "2026-11-24T12:00:00Z",
                                   "2026-11-25T00:00:00Z", "2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z"])
        if rng.random() < 0.12:
            notes = rng.choice(NOTES)
        hh, mm, ss = t // 3600, t // 60 % 60, t % 60
        orders.append([None, c["id"], units, f"2026-11-23T{hh:02d}:{mm:02d}:{ss:02d}Z", depot, c["tier"],
                       not_before, deadline, notes])

for n, row in enumerate(orders):
    row[0] = f"SO-{240001 + n}"

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["order_id", "customer_id", "units", "cleared_at", "depot", "tier", "not_before", "deadline", "notes"])
w.writerows(orders)
