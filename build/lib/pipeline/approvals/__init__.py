"""Approvals (Art. 15, Art. 28) and the publication register (Art. 28(1)), from Git history.

roster.py      who holds which role (content/governance/roster.yaml)
tiers.py       which tier an item needs and who may do each step (tiers.yaml)
changes.py     what a merge request / merge commit changes (GitPython, renames, deleted items)
trailers.py    Approved-by / Reviewed-by in merge commit messages
forge_api.py   approvals with times from GitLab / GitHub
verify.py      matching approvals to the tiers' steps
plan.py        `gongkai approvals plan`
codeowners.py  `gongkai approvals codeowners` (and rule GK-OWN-001)
register.py    `gongkai register` (造册登记)
cli.py         the sub-commands
"""
