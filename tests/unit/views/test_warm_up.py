"""views.warm_up: a zygote's warm-up leaves nothing a chapter could see."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

from rapportbok.data import read_table
from rapportbok.views.warm_up import warm_up


def test_the_warm_up_leaves_matplotlibs_settings_no_figure_and_no_table_behind() -> None:
    with mpl.rc_context({"font.size": 7.5}):  # not the house style's: the warm-up sets that, then restores
        before = dict(mpl.rcParams)
        figures, tables = plt.get_fignums(), dict(read_table._CHECKED.items())
        warm_up()
        assert dict(mpl.rcParams) == before
        assert plt.get_fignums() == figures
        assert tables == dict(read_table._CHECKED.items())
