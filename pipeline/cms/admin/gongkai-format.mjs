// The files the browser editor reads and writes, in the repository's own form.
//
// Decap's own front-matter format re-serialises a whole file on save: keys reordered, quotes dropped,
// folded text re-wrapped, so that every edit rewrites every line. This format keeps each top-level key
// (with the comments above it) as the file has it, byte for byte, and rewrites only the keys whose
// value the editor changed; a new key goes after the others, an emptied one goes away (an empty value
// is an error to the check, not a way to say "none"). New files get the keys in the form's order.
// Values are read as the pipeline's loader reads them (YAML 1.1 without timestamps: a date stays text).
import { parse, stringify } from 'yaml';

const TAGS = (tags) => tags.filter((tag) => tag.tag !== 'tag:yaml.org,2002:timestamp');
const READ = { version: '1.1', customTags: TAGS, uniqueKeys: true };
const WRITE = { version: '1.1', customTags: TAGS, lineWidth: 0, minContentWidth: 0 };
const FRONT_MATTER = /^---\r?\n((?:[\s\S]*?\r?\n)?)---[ \t]*(?:\r?\n|$)([\s\S]*)$/;
const KEY_LINE = /^([^\s#:][^:]*):(?:\s|$)/;

// The text each file had when it was read, by what names the file (the item's id; the keys of a
// governance file), so that saving can keep what the editor did not touch.
const sources = new Map();

function fileKey(data) {
  if (data && typeof data.id === 'string') return `id:${data.id}`;
  if (data && data.unit && data.year) return `register:${data.unit}/${data.year}`;
  return `keys:${Object.keys(data || {}).join(',')}`;
}

// Top-level keys with their text: comments and blank lines before a key belong to it.
function segments(yamlText) {
  const lines = yamlText.split(/(?<=\n)/);
  const out = [];
  let pending = '';
  for (const line of lines) {
    const match = KEY_LINE.exec(line);
    if (match && !/^\s/.test(line)) {
      out.push({ key: match[1].replace(/^["']|["']$/g, ''), text: pending + line });
      pending = '';
    } else if (out.length && (/^\s/.test(line) && line.trim() !== '')) {
      out[out.length - 1].text += pending + line;
      pending = '';
    } else {
      pending += line;
    }
  }
  return { segments: out, tail: pending };
}

const isEmpty = (v) => v === undefined || v === null || v === '' ||
  (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

function prune(value) {
  if (Array.isArray(value)) return value.map(prune).filter((v) => !isEmpty(v));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (!isEmpty(p)) out[k] = p;
    }
    return out;
  }
  return value;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function writeKey(key, value) {
  return stringify({ [key]: value }, WRITE);
}

// A new file's keys in the form's order (Decap passes it), which is the schema's, as `gongkai new` writes.
function inFormOrder(data, sortedKeys) {
  const order = (sortedKeys || []).filter((k) => typeof k === 'string' && !k.includes('.'));
  const out = {};
  for (const k of order) if (k in data) out[k] = data[k];
  return Object.assign(out, data);
}

function writeYaml(data, source, sortedKeys) {
  const fields = source ? { ...data } : inFormOrder(data, sortedKeys);
  if (!source) {
    return Object.entries(fields).map(([k, v]) => [k, prune(v)]).filter(([, v]) => !isEmpty(v))
      .map(([k, v]) => writeKey(k, v)).join('');
  }
  const { segments: parts, tail } = segments(source.yaml);
  let out = '';
  const seen = new Set();
  for (const part of parts) {
    seen.add(part.key);
    const before = source.data[part.key];
    const now = fields[part.key];
    if (same(before, now)) {
      out += part.text;
      continue;
    }
    const value = prune(now);
    if (isEmpty(value)) continue;
    const comments = part.text.slice(0, part.text.length - part.text.replace(/^(?:(?:#.*|\s*)\n)*/, '').length);
    out += comments + writeKey(part.key, value);
  }
  for (const [k, v] of Object.entries(fields)) {
    if (seen.has(k)) continue;
    const value = prune(v);
    if (!isEmpty(value)) out += writeKey(k, value);
  }
  return out + tail;
}

export const yamlFormat = {
  fromFile(text) {
    const data = parse(text, READ) || {};
    sources.set(fileKey(data), { yaml: text, data: JSON.parse(JSON.stringify(data)) });
    return data;
  },
  toFile(data, sortedKeys) {
    const plain = JSON.parse(JSON.stringify(data || {}));
    return writeYaml(plain, sources.get(fileKey(plain)), sortedKeys);
  },
};

export const frontMatterFormat = {
  fromFile(text) {
    const match = FRONT_MATTER.exec(text);
    const yamlText = match ? match[1] : '';
    const body = match ? match[2] : text;
    const data = parse(yamlText, READ) || {};
    sources.set(fileKey(data), { yaml: yamlText, data: JSON.parse(JSON.stringify(data)), body, text });
    return { ...data, body };
  },
  toFile(data, sortedKeys) {
    const plain = JSON.parse(JSON.stringify(data || {}));
    const body = typeof plain.body === 'string' ? plain.body : '';
    delete plain.body;
    const source = sources.get(fileKey(plain));
    const front = writeYaml(plain, source, sortedKeys);
    let text = body;
    if (!(source && body === source.body) && text && !text.endsWith('\n')) text += '\n';
    return `---\n${front}---\n${text}`;
  },
};
