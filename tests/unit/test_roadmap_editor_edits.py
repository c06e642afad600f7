"""The editor's edits on the answers file's `roadmap:` mapping (planner/services/roadmap_editor.py)."""

from __future__ import annotations

from planner.services import roadmap_editor as editor


def test_new_id_is_ascii_lowercase_and_unique():
    assert editor.new_id("Sổ tay bán hàng Đông Á", set()) == "so-tay-ban-hang-dong-a"
    assert editor.new_id("Sales playbook", {"sales-playbook"}) == "sales-playbook-2"
    assert editor.new_id("Sales playbook", {"sales-playbook", "sales-playbook-2"}) == (
        "sales-playbook-3"
    )
    assert editor.new_id("!!!", set()) == "initiative"


def test_drop_is_idempotent_and_restore_leaves_no_empty_key():
    once = editor.drop("a")({"max_parallel": 3})
    assert editor.drop("a")(once) == once == {"max_parallel": 3, "drop": ["a"]}
    assert editor.restore("a")(once) == {"max_parallel": 3}


def test_change_sets_and_clears_fields():
    data = editor.change("a", {"start_week": 4, "owner": "CFO"})({})
    assert data == {"change": {"a": {"start_week": 4, "owner": "CFO"}}}
    assert editor.change("a", {"start_week": None})(data) == {"change": {"a": {"owner": "CFO"}}}
    assert editor.change("a", {"start_week": None, "owner": None})(data) == {}


def test_remove_takes_the_added_initiative_with_its_edits():
    data = {
        "add": [{"id": "x", "title": "X"}, {"id": "y", "title": "Y"}],
        "drop": ["x"],
        "change": {"x": {"owner": "CFO"}, "z": {"owner": "CEO"}},
    }
    assert editor.remove("x")(data) == {
        "add": [{"id": "y", "title": "Y"}],
        "change": {"z": {"owner": "CEO"}},
    }


def test_reset_keeps_the_settings_only():
    data = {"max_parallel": 2, "horizon_weeks": 40, "phases": [], "drop": ["a"], "add": [{}]}
    assert editor.reset(data) == {"max_parallel": 2, "horizon_weeks": 40, "phases": []}


def test_settings_leave_the_default_horizon_and_phases_unwritten():
    assert editor.settings(3, 78, [])({"drop": ["a"]}) == {"drop": ["a"], "max_parallel": 3}
    assert editor.settings(2, 30, [("Now", 0)])({}) == {
        "max_parallel": 2,
        "horizon_weeks": 30,
        "phases": [{"name": "Now", "start_week": 0}],
    }
