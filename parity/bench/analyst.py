"""What an analyst would write instead: the five core metrics of floor.sql in plain pandas.

    python -m parity.bench.analyst LANDING OUT.parquet [--until YYYY-MM-DD]

pd.read_csv of every file (only the columns used), concat, groupby; the same definitions as the
metric catalogue, the same output as floor.sql. Nothing of Parity runs here.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

CENTER_TIMEZONE = "America/New_York"
FCR_WINDOW = pd.Timedelta(days=7)
SHORT_ABANDON_SECONDS = 5
CRM_COLUMNS = ["interaction_id", "case_id", "customer_id", "channel", "direction",
               "contact_reason", "agent_id", "offered_at", "answered_at", "ended_at",
               "queue_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "abandoned"]
DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


def read(landing: Path, source: str, until: str | None, with_file: bool = False,
         **options) -> pd.DataFrame:
    frames = []
    for path in sorted((landing / source).glob("*.csv")):
        date = DATED.search(path.name)
        if until is None or (date and date.group() <= until):
            frame = pd.read_csv(path, **options)
            frames.append(frame.assign(file=path.name) if with_file else frame)
    return pd.concat(frames, ignore_index=True)


def contacts_with_dates(landing: Path, until: str | None) -> pd.DataFrame:
    agents = read(landing, "agents", until, with_file=True,
                  usecols=["agent_id", "site_timezone"], dtype=str)
    latest = agents.sort_values("file").groupby("agent_id").last()
    timezone = latest["site_timezone"].fillna(CENTER_TIMEZONE)

    crm = read(landing, "crm_interactions", until, usecols=CRM_COLUMNS,
               dtype={"interaction_id": str, "case_id": str, "customer_id": str,
                      "agent_id": str, "queue_seconds": float, "talk_seconds": float,
                      "hold_seconds": float, "acw_seconds": float, "abandoned": bool})
    for column in ("offered_at", "answered_at", "ended_at"):
        crm[column] = pd.to_datetime(crm[column], utc=True, format="ISO8601")
    waited = (crm["answered_at"].fillna(crm["ended_at"]) - crm["offered_at"]).dt.total_seconds()
    crm["queue_seconds"] = crm["queue_seconds"].fillna(waited)
    crm["handle_seconds"] = crm["talk_seconds"] + crm["hold_seconds"] + crm["acw_seconds"]
    crm["timezone"] = crm["agent_id"].map(timezone).fillna(CENTER_TIMEZONE)
    business_date = pd.Series(pd.NaT, index=crm.index, dtype="datetime64[ns]")
    for tz, rows in crm.groupby("timezone").groups.items():
        local = crm.loc[rows, "offered_at"].dt.tz_convert(tz).dt.tz_localize(None)
        business_date.loc[rows] = local.dt.normalize()
    crm["business_date"] = business_date
    return crm.drop(columns="timezone")


def fcr_repeat(crm: pd.DataFrame) -> pd.DataFrame:
    legs = crm[~crm["abandoned"] & (crm["direction"] == "inbound")].copy()
    legs["case_key"] = legs["case_id"].fillna(legs["interaction_id"])
    legs = legs.sort_values("answered_at", kind="stable")
    cases = legs.groupby("case_key").agg(
        agent_id=("agent_id", "first"), business_date=("business_date", "first"),
        contact_reason=("contact_reason", "first"), customer_id=("customer_id", "first"),
        offered_at=("offered_at", "min"))
    cases = cases.reset_index().sort_values(["offered_at", "case_key"], kind="stable")
    same = cases.groupby(["customer_id", "contact_reason"], dropna=False)["offered_at"]
    known = cases["customer_id"].notna()
    repeat = known & (same.shift(1) >= cases["offered_at"] - FCR_WINDOW)
    followed = known & (same.shift(-1) <= cases["offered_at"] + FCR_WINDOW)
    closed = cases["offered_at"] + FCR_WINDOW <= cases["offered_at"].max()
    first = cases[~repeat & closed].assign(numerator=(~followed[~repeat & closed]).astype(int))
    return first.groupby(["business_date", "agent_id"], dropna=False).agg(
        numerator=("numerator", "sum"), denominator=("numerator", "size")).reset_index()


def metrics(landing: Path, until: str | None = None) -> pd.DataFrame:
    crm = contacts_with_dates(landing, until)
    handled = crm[~crm["abandoned"]]
    aht = handled.groupby(["business_date", "agent_id"], dropna=False).agg(
        numerator=("handle_seconds", "sum"), denominator=("handle_seconds", "size"))

    surveys = read(landing, "surveys", until, usecols=["interaction_id", "csat"],
                   dtype={"interaction_id": str})
    rated = surveys[surveys["csat"].notna()].merge(
        crm[["interaction_id", "business_date", "agent_id"]], on="interaction_id")
    rated["top2"] = (rated["csat"] >= 4).astype(int)
    csat = rated.groupby(["business_date", "agent_id"], dropna=False).agg(
        numerator=("top2", "sum"), denominator=("top2", "size"))

    queued = crm[(crm["direction"] == "inbound")
                 & ~(crm["abandoned"] & (crm["queue_seconds"] < SHORT_ABANDON_SECONDS))].copy()
    threshold = queued["channel"].map({"email": 86400}).fillna(20)
    queued["in_time"] = (~queued["abandoned"] & (queued["queue_seconds"] <= threshold))
    by_channel = queued.groupby(["business_date", "channel"])
    abandonment = by_channel.agg(numerator=("abandoned", "sum"),
                                 denominator=("abandoned", "size"))
    service = by_channel.agg(numerator=("in_time", "sum"), denominator=("in_time", "size"))

    parts = [("aht", aht.reset_index()), ("csat", csat.reset_index()),
             ("fcr_repeat", fcr_repeat(crm)), ("abandonment_rate", abandonment.reset_index()),
             ("service_level", service.reset_index())]
    out = pd.concat([frame.assign(metric_name=name) for name, frame in parts],
                    ignore_index=True)
    for column in ("agent_id", "channel"):
        if column not in out:
            out[column] = None
    out["business_date"] = pd.to_datetime(out["business_date"]).dt.date
    out[["numerator", "denominator"]] = out[["numerator", "denominator"]].astype(float)
    return out[["metric_name", "business_date", "agent_id", "channel", "numerator",
                "denominator"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parity.bench.analyst", description=__doc__)
    parser.add_argument("landing", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--until", help="last business date of the files read (ISO)")
    args = parser.parse_args(argv)
    frame = metrics(args.landing, args.until)
    frame.to_parquet(args.out, index=False)
    print(f"pandas: {len(frame)} metric rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
