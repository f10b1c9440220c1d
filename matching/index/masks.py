"""Needs translated into one segment's code books, once per search and segment."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from directory.taxonomy import matches_prefix
from matching import weights
from matching.index.segment import Segment
from matching.needs import Needs

NO_MATCH = -2  # a gender no clinician in the segment has


class NeedMasks:
    """Bit masks of the codes the needs name, in the segment's books."""

    def __init__(self, segment: Segment, needs: Needs):
        c = segment.clinicians
        self.segment, self.needs = segment, needs
        self.plan = segment.networks.mask(needs.plan.network_ids) if needs.plan else 0
        self.concerns = c.not_treated.book.mask(needs.concerns)
        self.ages = c.ages.book.mask(needs.age_groups)
        self.languages = c.languages.book.mask(needs.languages)
        gender = needs.clinician_gender
        self.gender = c.genders.index(gender) if gender in c.genders else NO_MATCH
        self.competencies = c.competencies.book.mask(needs.cultural_preferences)
        self.competencies_known = c.competencies.book.knows_all(needs.cultural_preferences)
        self.specialties = c.taxonomies.book.mask(needs.specialty_codes)
        self.in_person = c.modalities.book.mask(["in_person"])
        self.telehealth = c.modalities.book.mask(["video", "phone"])
        book = segment.places.accessibility.book
        self.accessibility = book.mask(needs.accessibility)
        self.accessibility_known = book.knows_all(needs.accessibility)
        self._required: dict[str, bool] = {}

    def required(self, need: str) -> bool:
        """Needs.requires, asked once per need."""
        found = self._required.get(need)
        if found is None:
            found = self._required[need] = self.needs.requires(need)
        return found

    @cached_property
    def preferences(self) -> frozenset[str]:
        """Needs asked for that only rank (ranking.PREFERENCE_WEIGHTS' keys), not required."""
        n = self.needs
        asked = {
            "specialties": bool(n.specialties),
            "languages": bool(n.languages),
            "clinician_gender": bool(n.clinician_gender),
            "cultural_preferences": bool(n.cultural_preferences),
            "accessibility": bool(n.accessibility),
            "availability": bool(n.availability),
            "max_wait_days": n.max_wait_days is not None,
            "payment": bool(n.payment),
            "max_fee": n.max_fee is not None,
        }
        return frozenset(need for need, yes in asked.items() if yes and not self.required(need))

    @cached_property
    def fit_items(self) -> list[tuple[int, int]]:
        """Per fit item: (its concern's bit in conditions treated, taxonomies that suit it)."""
        c = self.segment.clinicians
        taxonomies = c.taxonomies.book
        found = []
        for item in self.needs.fit_items:
            treated = c.treated.book.mask([item.code]) if item.kind == "concern" else 0
            wanted = list(item.taxonomies)
            suits = taxonomies.mask(taxonomies.matching(lambda t, w=wanted: matches_prefix(t, w)))
            found.append((treated, suits))
        return found

    def fit_shares(self, segment: Segment, rows: np.ndarray) -> list[np.ndarray]:
        """criteria._fit_share per fit item and row."""
        c, items = segment.clinicians, self.fit_items
        if not items:
            return []
        # Each column is gathered once for every item: gathers from a million rows cost most.
        taxonomies = c.taxonomies.take(rows)
        treated_at = c.treated.take(rows) if any(treated for treated, _ in items) else None
        shares = []
        for treated, suits in items:
            share = np.where(taxonomies.holds_any(suits), weights.FIT_TAXONOMY, 0.0)
            if treated:
                share = np.where(treated_at.holds_any(treated), weights.FIT_TREATS, share)
            shares.append(share)
        return shares
