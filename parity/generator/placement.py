"""Contacts placed inside the agents' free blocks, and the state log they imply.

Vectorised over a whole day: every free block becomes one lane per concurrent stream (chat agents
work two chats at once); each lane is filled with idle gap + contact cycles until the next one no
longer fits. Idle gaps shrink when the hour is busy, which yields the intraday and weekday
arrival pattern. The actual state log is then derived from the contacts, so occupancy computed
from states agrees with the contacts exactly.
"""

from __future__ import annotations

import numpy as np

from . import world as w
from .roster import Roster, tenure_effect
from .timeline import DayPlan

CHANNEL_OF_QUEUE = np.array([w.CHANNELS.index(q.channel) for q in w.QUEUES])
_REASON_CDF = np.array([
    np.cumsum([q.reason_mix.get(r.name, 0.0) for r in w.REASONS]) for q in w.QUEUES
])
_REASON_CDF /= _REASON_CDF[:, -1:]
_SHAPES = [w.CHANNEL_SHAPES[c] for c in w.CHANNELS]
_STREAMS = np.array([s.streams for s in _SHAPES])
_MEAN_CYCLE = np.array([s.idle_mean + 1.1 * s.talk_median + s.hold_share * s.hold_median
                        + s.acw_median for s in _SHAPES])
_REASON_HANDLE = np.array([r.handle_factor for r in w.REASONS])


def load_at(seconds: np.ndarray, weekday: int) -> np.ndarray:
    """Relative demand at a local time of day: 1.0 is an average hour."""
    hour = np.clip(seconds // 3600, 0, 23)
    return np.maximum(w.HOURLY_LOAD[hour] * w.WEEKDAY_LOAD[weekday], 0.2)


def draw_reasons(queue: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(len(queue))
    return (u[:, None] > _REASON_CDF[queue]).sum(axis=1)


def place_contacts(roster: Roster, plan: DayPlan, day: int, weekday: int,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Handled contacts of one day, one row each, with the block they were worked in."""
    if len(plan.block_agent) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return {key: empty for key in ("agent", "block", "queue", "channel", "reason", "talk",
                                       "hold", "acw", "answered")}
    block_channel = CHANNEL_OF_QUEUE[roster.queue[plan.block_agent]]
    streams = _STREAMS[block_channel]
    lane_block = np.repeat(np.arange(len(plan.block_agent)), streams)
    lane_start = plan.block_start[lane_block]
    lane_end = plan.block_end[lane_block]
    lane_channel = block_channel[lane_block]
    per_lane = (np.ceil((lane_end - lane_start) / (0.45 * _MEAN_CYCLE[lane_channel]))
                .astype(np.int64) + 2)
    lane = np.repeat(np.arange(len(lane_block)), per_lane)
    first = np.concatenate(([0], np.cumsum(per_lane)[:-1]))

    agent = plan.block_agent[lane_block[lane]]
    channel = lane_channel[lane]
    queue = roster.queue[agent]
    reason = draw_reasons(queue, rng)
    n = len(lane)
    talk_median = np.array([s.talk_median for s in _SHAPES])[channel]
    talk_sigma = np.array([s.talk_sigma for s in _SHAPES])[channel]
    newness = tenure_effect(roster, day, agent)
    rushing = agent == roster.rushing_agent
    handle = (roster.handle_factor[agent] * (1 + w.NEW_HIRE_HANDLE_AT_HIRE * newness)
              * np.where(rushing, w.RUSHING_HANDLE, 1.0))
    talk = np.maximum(5, np.rint(np.exp(rng.normal(
        np.log(talk_median * _REASON_HANDLE[reason] * handle), talk_sigma)))).astype(np.int64)
    hold_share = np.array([s.hold_share for s in _SHAPES])[channel]
    hold_median = np.maximum(np.array([s.hold_median for s in _SHAPES])[channel], 1)
    hold = np.where(rng.random(n) < hold_share * (1 + newness),
                    np.rint(np.exp(rng.normal(np.log(hold_median), 0.7))), 0).astype(np.int64)
    acw_median = np.array([s.acw_median for s in _SHAPES])[channel]
    acw = np.rint(np.exp(rng.normal(
        np.log(acw_median * np.where(rushing, w.RUSHING_ACW, 1.0) * (1 + 0.5 * newness)), 0.5))
    ).astype(np.int64)
    work = talk + hold + acw

    idle_unit = rng.exponential(1.0, n)
    idle_mean = np.array([s.idle_mean for s in _SHAPES])[channel]
    idle = np.ceil(idle_unit * idle_mean).astype(np.int64)
    answered = _lane_positions(idle, work, lane, first, lane_start)
    idle = np.ceil(idle_unit * idle_mean / load_at(answered, weekday)).astype(np.int64)
    answered = _lane_positions(idle, work, lane, first, lane_start)
    keep = answered + work <= lane_end[lane]
    return {
        "agent": agent[keep], "block": lane_block[lane][keep], "queue": queue[keep],
        "channel": channel[keep], "reason": reason[keep], "talk": talk[keep],
        "hold": hold[keep], "acw": acw[keep], "answered": answered[keep],
    }


def _lane_positions(idle, work, lane, first, lane_start):
    cycle = idle + work
    total = np.cumsum(cycle)
    before_lane = (total - cycle)[first]
    return lane_start[lane] + (total - cycle) - before_lane[lane] + idle


def contact_states(plan: DayPlan, block: np.ndarray, answered: np.ndarray,
                   ended: np.ndarray, wrapped: np.ndarray):
    """Available / on_contact / acw segments covering every free block exactly once.

    A sweep over the day: each contact opens ``on_contact`` at answer and ``acw`` at its end;
    an instant's state is on_contact if any contact is live (chat concurrency), else acw if any
    wrap-up is running, else available. Equal neighbours are merged.
    """
    n_blocks = len(plan.block_agent)
    times = np.concatenate((answered, ended, ended, wrapped, plan.block_start, plan.block_end))
    owner = np.concatenate((block, block, block, block, np.arange(n_blocks), np.arange(n_blocks)))
    zeros = np.zeros(2 * n_blocks, dtype=np.int64)
    ones = np.ones(len(answered), dtype=np.int64)
    d_on = np.concatenate((ones, -ones, 0 * ones, 0 * ones, zeros))
    d_acw = np.concatenate((0 * ones, 0 * ones, ones, -ones, zeros))
    order = np.lexsort((times, owner))
    times, owner = times[order], owner[order]
    on, acw = np.cumsum(d_on[order]), np.cumsum(d_acw[order])
    last_of_point = np.ones(len(times), dtype=bool)
    last_of_point[:-1] = (times[1:] != times[:-1]) | (owner[1:] != owner[:-1])
    times, owner, on, acw = (x[last_of_point] for x in (times, owner, on, acw))
    state = np.where(on > 0, 1, np.where(acw > 0, 2, 0))
    has_next = np.zeros(len(times), dtype=bool)
    has_next[:-1] = owner[1:] == owner[:-1]
    idx = np.flatnonzero(has_next)
    seg_start, seg_end, seg_owner, seg_state = times[idx], times[idx + 1], owner[idx], state[idx]
    new_run = np.ones(len(idx), dtype=bool)
    new_run[1:] = (seg_owner[1:] != seg_owner[:-1]) | (seg_state[1:] != seg_state[:-1])
    run_id = np.cumsum(new_run) - 1
    run_end = np.zeros(new_run.sum(), dtype=np.int64)
    np.maximum.at(run_end, run_id, seg_end)
    return (plan.block_agent[seg_owner[new_run]], seg_state[new_run],
            seg_start[new_run], run_end)


STATE_NAMES = np.array(["available", "on_contact", "acw"])
