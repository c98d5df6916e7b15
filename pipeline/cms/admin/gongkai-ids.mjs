// The id of a new item, as pipeline.content.ids.next_id makes it for `gongkai new`: the convention is
// baked into the configuration per type and unit, the ids taken are the type's items and open drafts.
// Kept apart from the widgets so that a test runs it in Node beside the Python original.
export function stemAndCounter(convention, unit, now) {
  const own = (convention.units || {})[unit] || convention;
  const parts = own.parts;
  const words = parts.slice(0, -1).map((p) => (p === '{unit}' ? unit : p === '{year}' ? String(now.getFullYear()) : p));
  return { stem: words.length ? `${words.join('-')}-` : '', counter: parts[parts.length - 1], width: own.width || 0 };
}

export function nextId(convention, unit, now, taken) {
  const { stem, counter, width } = stemAndCounter(convention, unit, now);
  const pad = (n, w) => String(n).padStart(w, '0');
  if (counter === '{mmdd}') {
    let candidate = `${stem}${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`;
    const base = candidate;
    for (let extra = 2; taken.has(candidate); extra += 1) candidate = `${base}-${extra}`;
    return candidate;
  }
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9]+)$`);
  let highest = 0;
  for (const id of taken) { const m = pattern.exec(id); if (m) highest = Math.max(highest, Number(m[1])); }
  let number = highest + 1;
  while (taken.has(`${stem}${pad(number, width)}`)) number += 1;
  return `${stem}${pad(number, width)}`;
}
