"""Share of the North's 1990-98 output fall (relative to 1990) made up by 2016-2019, from the
Bank of Korea's annual real GDP growth estimates as reported at release (vintage A) and a later
revised series as recalled (vintage B, not cited; a robustness check only)."""

import math

A = {
    1991: -5.2,
    1992: -7.6,
    1993: -4.3,
    1994: -1.7,
    1995: -4.5,
    1996: -3.7,
    1997: -6.8,
    1998: -1.1,
    1999: 6.2,
    2000: 1.3,
    2001: 3.7,
    2002: 1.2,
    2003: 1.8,
    2004: 2.2,
    2005: 3.8,
    2006: -1.1,
    2007: -2.3,
    2008: 3.7,
    2009: -0.9,
    2010: -0.5,
    2011: 0.8,
    2012: 1.3,
    2013: 1.1,
    2014: 1.0,
    2015: -1.1,
    2016: 3.9,
    2017: -3.5,
    2018: -4.1,
    2019: 0.4,
}
B = {
    1991: -4.4,
    1992: -7.1,
    1993: -4.5,
    1994: -2.1,
    1995: -4.4,
    1996: -3.4,
    1997: -6.5,
    1998: -0.9,
    1999: 6.1,
    2000: 0.4,
    2001: 3.8,
    2002: 1.2,
    2003: 1.8,
    2004: 2.1,
    2005: 3.8,
    2006: -1.0,
    2007: -1.2,
    2008: 3.1,
    2009: -0.9,
    2010: -0.5,
    2011: 0.8,
    2012: 1.3,
    2013: 1.1,
    2014: 1.0,
    2015: -1.1,
    2016: 3.9,
    2017: -3.5,
    2018: -4.1,
    2019: 0.4,
}
for name, g in (("A", A), ("B", B)):
    lv = {1990: 1.0}
    for y in range(1991, 2020):
        lv[y] = lv[y - 1] * (1 + g[y] / 100)
    after = sum(lv[y] for y in range(2016, 2020)) / 4
    fall = 1 - lv[1998]
    print(
        name,
        "1998 level",
        round(lv[1998], 3),
        "2005",
        round(lv[2005], 3),
        "2016-19 mean",
        round(after, 3),
        "share made up (levels)",
        round((after - lv[1998]) / fall, 3),
        "share (logs)",
        round((math.log(after) - math.log(lv[1998])) / -math.log(lv[1998]), 3),
        "remaining gap share",
        round((1 - after) / fall, 3),
    )
    # famine years only: fall 1995-98 relative to 1994 level
    f = 1 - lv[1998] / lv[1994]
    print("   1995-98 fall", round(f, 3), "2016-19 mean / 1994", round(after / lv[1994], 3))
