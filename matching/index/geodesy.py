"""matching.distance.within over whole columns: the same haversine pre-check and Vincenty.

The formulas, constants and margin are matching.distance's, so a point is inside here exactly
when within() says so; the few points this cannot settle (within a hair of the radius, or
where Vincenty does not converge) are handed to within() itself.
"""

from __future__ import annotations

import math

import numpy as np

from directory.geography import Point
from matching import distance as scalar

# Closer to the radius than this (miles, about 0.2 mm), float rounding could disagree with
# within(): those points are settled by within() itself.
_EDGE = 1e-7
_ITERATIONS = 200
# Below this many points the scalar within() is cheaper than the array set-up (~0.17 ms).
_FEW = 24


def haversine_miles(center: Point, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle miles on the mean sphere, as matching.distance.haversine_miles."""
    p1, p2 = np.radians(center.lat), np.radians(lat)
    dp, dl = p2 - p1, np.radians(lon - center.lon)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * scalar._EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, z) of each point on the unit sphere, worked out once when a segment is built."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)


def _chord_squared(center: Point, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Squared straight-line distance from the center's unit vector to each point's."""
    phi, lam = math.radians(center.lat), math.radians(center.lon)
    cx, cy, cz = math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)
    dx = x - cx
    dx *= dx
    dy = y - cy
    dy *= dy
    dx += dy
    dz = z - cz
    dz *= dz
    dx += dz
    return dx


def chord_near(center: Point, x: np.ndarray, y: np.ndarray, z: np.ndarray, miles: float):
    """Per point: at most `miles` away on the mean sphere (haversine's distance), told by the
    straight chord between unit vectors: a few multiplications a point, no trigonometry."""
    # The chord of an arc is 2 sin(arc / 2); squared, it grows with the arc up to half the globe.
    limit = (2 * np.sin(min(miles / scalar._EARTH_RADIUS_MILES, np.pi) / 2)) ** 2
    return _chord_squared(center, x, y, z) <= limit


def chord_miles(center: Point, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """haversine_miles from unit vectors: the same arc, one arcsine a point instead of four
    trigonometric functions (they differ by float rounding, ~1e-13 of the distance)."""
    half = np.sqrt(_chord_squared(center, x, y, z))
    half *= 0.5
    np.minimum(half, 1.0, out=half)
    return 2 * scalar._EARTH_RADIUS_MILES * np.arcsin(half)


def _lambda(center: Point, lat: np.ndarray, lon: np.ndarray):
    """Vincenty's iteration over arrays, each point's terms kept from the step it converged."""
    f = scalar._F
    u1 = np.arctan((1 - f) * np.tan(np.radians(center.lat)))
    u2 = np.arctan((1 - f) * np.tan(np.radians(lat)))
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    big_l = np.radians(lon - center.lon)
    lam = big_l.copy()
    kept = np.zeros((5, len(lat)))
    done = np.zeros(len(lat), dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(_ITERATIONS):
            sin_lam, cos_lam = np.sin(lam), np.cos(lam)
            sin_s = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
            cos_s = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
            sigma = np.arctan2(sin_s, cos_s)
            sin_alpha = np.where(sin_s == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_s)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha != 0, cos_s - 2 * sin_u1 * sin_u2 / cos2_alpha, 0.0)
            c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
            previous = lam
            lam = big_l + (1 - c) * f * sin_alpha * (
                sigma + c * sin_s * (cos_2sm + c * cos_s * (-1 + 2 * cos_2sm**2))
            )
            # As the scalar loop returns: the terms of the step whose update was tiny.
            now = ~done & ((np.abs(lam - previous) < 1e-12) | (sin_s == 0))
            for row, term in zip(kept, (sin_s, cos_s, sigma, cos2_alpha, cos_2sm), strict=True):
                np.copyto(row, term, where=now)  # no 5 x n stack per step
            done |= now
            if done.all():
                break
    same = kept[0] == 0  # the same point: the scalar's (0, 1, 0, 1, 0)
    kept[1, same], kept[3, same] = 1.0, 1.0
    return (*kept, done)


def vincenty_miles(center: Point, lat: np.ndarray, lon: np.ndarray):
    """(miles, converged) per point, as matching.distance._vincenty_metres in miles."""
    sin_s, cos_s, sigma, cos2_alpha, cos_2sm, done = _lambda(center, lat, lon)
    a_, b_ = scalar._A, scalar._B
    u_sq = cos2_alpha * (a_**2 - b_**2) / b_**2
    a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    inner = cos_s * (-1 + 2 * cos_2sm**2) - b / 6 * cos_2sm * (-3 + 4 * sin_s**2) * (
        -3 + 4 * cos_2sm**2
    )
    delta = b * sin_s * (cos_2sm + b / 4 * inner)
    metres = np.where(sin_s == 0, 0.0, b_ * a * (sigma - delta))
    return metres / scalar._METRES_PER_MILE, done


def within(center: Point, lat: np.ndarray, lon: np.ndarray, miles: float):
    """(inside, miles) per point: exactly matching.distance.within's answer."""
    if len(lat) < _FEW:
        found = [
            scalar.within(center, float(a), float(b), miles) for a, b in zip(lat, lon, strict=True)
        ]
        found = np.array([np.nan if f is None else f for f in found], dtype=np.float64)
        return ~np.isnan(found), found
    near = haversine_miles(center, lat, lon) <= miles * scalar.HAVERSINE_MARGIN
    found = np.full(len(lat), np.nan)
    rows = np.flatnonzero(near)
    if len(rows):
        found[rows], done = vincenty_miles(center, lat[rows], lon[rows])
        unsure = rows[~done | (np.abs(found[rows] - miles) <= _EDGE)]
        for i in unsure:
            exact = scalar.within(center, float(lat[i]), float(lon[i]), miles)
            found[i] = np.nan if exact is None else exact
    inside = near & (found <= miles)
    return inside, found
