"""Policies and their interpretations (《门户网站管理办法》第七条(二)、第十三条)."""
from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.core.policy_validity import IN_FORCE
from pipeline.core.publication import Status, status
from pipeline.core.relations import interpretations_by_policy, published_no_later
from pipeline.check.rules import RELATED, Rule, register, unreadable_ids


@register
class PolicyInterpretation(Rule):
    """GK-REL-001/002: a policy that must be interpreted is published with its interpretation.

    Required for the document types listed in settings (规章, 行政规范性文件 by
    default) and for any policy with `needs_interpretation: true`. At least one
    interpretation naming the policy in `interprets` must be published no later
    than the policy itself ("同步推出").

    FAIL: a 行政规范性文件 zc-1 and no interpretation with `interprets: [zc-1]`;
          or its only interpretation dated 2026-03-05 while the policy is dated 2026-03-01.
    PASS: jd-zc-1 with `interprets: [zc-1]` dated the same day as zc-1.
    """

    codes = {
        "GK-REL-001": "需要解读的政策文件没有解读",
        "GK-REL-002": "政策解读晚于政策文件发布",
        "GK-REL-003": "政策文件的有效性与替代文件不一致",
    }

    reach = RELATED  # a policy's interpretations; an interpretation's policies and their other interpretations

    def check(self, repo):
        required_types = set(repo.settings["interpretation"]["required_doc_types"])
        by_policy = interpretations_by_policy(repo)
        # "No interpretation" may only mean it is in a file that cannot be read: that file's error says so.
        unreadable_interpretation = bool(unreadable_ids(repo, "item", "interpretation"))
        for policy in repo.of_type("policy"):
            meta = policy.meta
            if status(policy, repo.now) is Status.WITHDRAWN:
                continue  # off the site: nothing left to interpret
            yield from self._validity(policy)
            doc_type = meta.get("doc_type") if isinstance(meta.get("doc_type"), str) else None
            needed = doc_type in required_types or meta.get("needs_interpretation") is True
            if not needed:
                continue
            interpretations = [i for i in by_policy.get(policy.id, []) if status(i, repo.now) is not Status.WITHDRAWN]
            why = "标明需要解读(needs_interpretation: true)" \
                if meta.get("needs_interpretation") is True and doc_type not in required_types else f"是{doc_type}"
            if not interpretations and not unreadable_interpretation:
                yield policy.diagnostic("GK-REL-001", Severity.ERROR,
                                        f"本文件{why},必须同步发布政策解读(第七条、第十三条),但还没有解读。"
                                        f"请新建解读(gongkai new interpretation),并在其中写上「interprets: [{policy.id}]」。",
                                        "doc_type")
                continue
            if not any(published_no_later(i.meta.get("date"), meta.get("date")) for i in interpretations):
                for interp in interpretations:
                    yield interp.diagnostic("GK-REL-002", Severity.ERROR,
                                            f"解读发布时间 {interp.meta.get('date')} 晚于政策文件「{policy.title}」的发布时间 {meta.get('date')}:"
                                            f"解读应与文件同步发布,不得晚于文件。", "date")

    def _validity(self, policy):
        meta = policy.meta
        replaced_by = meta.get("replaced_by")
        if replaced_by == policy.id:
            yield policy.diagnostic("GK-REL-003", Severity.ERROR, "替代文件不能是本文件自己。", "replaced_by")
        elif replaced_by and meta.get("validity") == IN_FORCE:
            yield policy.diagnostic("GK-REL-003", Severity.ERROR,
                                    "本文件标为「现行有效」,却写了替代文件 replaced_by:被替代的文件应标为「已修订」或「已废止」。",
                                    "validity")
