"""The core decisions: one function each for what is published and when, every address, the files an
item uses, by-id links, whether a policy is in force, deadlines in working days, a unit's disclosure,
datasets — and the catalogue of items as the site shows them at one moment. Check, build, approvals,
audit and the yearly report call these; none of them decides again."""
