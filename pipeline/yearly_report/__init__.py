"""The yearly report (政府信息公开工作年度报告): its figures computed from content and registers, the
national format's tables, and the draft `gongkai report annual --write` writes."""
