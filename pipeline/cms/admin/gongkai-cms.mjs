// The portal's additions to Decap CMS: composition-aware text widgets, the id widget, the YAML text
// widget, the file formats and the preview in the portal's own page layout. Loaded after
// decap-cms.js (which defines window.CMS, window.h and window.createClass); then starts the CMS.
import { parse, stringify } from 'yaml';
import { frontMatterFormat, yamlFormat } from './gongkai-format.mjs';
import { nextId, stemAndCounter } from './gongkai-ids.mjs';

const { CMS, h, createClass } = window;

// Text typed with a Chinese input method arrives through composition events: while the editor picks
// characters the field holds pinyin, and only compositionend says what was chosen. Decap's `string`
// widget reports the intermediate values and is re-rendered from them; in simulated compositions it kept
// pinyin fragments in 5 of 12 runs (issue 25). These widgets keep the typed text to themselves until
// the composition ends, and only then tell the form.
function compositionAware(tag, extra) {
  return createClass({
    getInitialState() { return { value: this.props.value == null ? '' : String(this.props.value) }; },
    componentDidUpdate(previous) {
      const value = this.props.value == null ? '' : String(this.props.value);
      if (!this.composing && previous.value !== this.props.value && value !== this.state.value) {
        this.setState({ value });
      }
    },
    report(value) { if (value !== (this.props.value == null ? '' : String(this.props.value))) this.props.onChange(value); },
    render() {
      return h(tag, {
        id: this.props.forID, className: this.props.classNameWrapper, value: this.state.value, ...extra,
        onChange: (e) => { const value = e.target.value; this.setState({ value }); if (!this.composing) this.report(value); },
        onCompositionStart: () => { this.composing = true; },
        onCompositionEnd: (e) => { this.composing = false; const value = e.target.value; this.setState({ value }); this.report(value); },
        onFocus: this.props.setActiveStyle,
        onBlur: (e) => { this.props.setInactiveStyle(); if (!this.composing) this.report(e.target.value); },
      });
    },
  });
}

const paragraphs = (text) => String(text || '').split(/\n{2,}/).filter((p) => p.trim())
  .map((p, i) => h('p', { key: i }, p));
const TextPreview = (props) => h('div', {}, paragraphs(props.value));

// Drafts are not items yet: each lives on its own branch (cms/<collection>/<unit>/<id>) or merge
// request, which the search over the type's items (in the widget below) does not see. Two editors of one unit on one day would otherwise both
// get xw-2026-1207, so the ids of open drafts are taken too, asked of the backend the page talks to.
let backendConfig;
async function draftIds() {
  try {
    backendConfig = backendConfig || parse(await (await fetch('config.yml')).text()).backend;
    const backend = backendConfig;
    const user = JSON.parse(localStorage.getItem('decap-cms-user') || '{}');
    let branches = [];
    if (backend.name === 'proxy') {
      const response = await fetch(backend.proxy_url, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'unpublishedEntries', params: { branch: backend.branch } }),
      });
      branches = (await response.json()).map((key) => `cms/${key}`);
    } else if (backend.name === 'gitlab') {
      const api = backend.api_root || 'https://gitlab.com/api/v4';
      const response = await fetch(`${api}/projects/${encodeURIComponent(backend.repo)}/merge_requests?state=opened&per_page=100`,
        { headers: { Authorization: `Bearer ${user.token}` } });
      branches = (await response.json()).map((mr) => mr.source_branch);
    } else if (backend.name === 'github') {
      const api = backend.api_root || 'https://api.github.com';
      const response = await fetch(`${api}/repos/${backend.repo}/pulls?state=open&per_page=100`,
        { headers: { Authorization: `token ${user.token}` } });
      branches = (await response.json()).map((pull) => pull.head.ref);
    }
    return branches.filter((b) => typeof b === 'string' && b.startsWith('cms/')).map((b) => b.split('/').pop());
  } catch (error) {
    return [];
  }
}

const IdControl = createClass({
  // Decap re-renders a widget only when its own value changes; this one depends on the unit too.
  shouldComponentUpdate(next) {
    return next.value !== this.props.value ||
      next.entry.getIn(['data', 'unit']) !== this.props.entry.getIn(['data', 'unit']);
  },
  componentDidMount() { this.assign(); },
  componentDidUpdate() { this.assign(); },
  async assign() {
    const { entry, field, query, forID, collection } = this.props;
    if (!entry.get('newRecord')) return;
    const unit = entry.getIn(['data', 'unit']);
    if (!unit) return;
    const convention = field.get('convention').toJS();
    const { stem } = stemAndCounter(convention, unit, new Date());
    const wanted = `${unit}|${stem}`;
    if (this.assigned === wanted || this.pending === wanted) return;
    this.pending = wanted;
    const taken = new Set(await draftIds());
    try {
      const result = await query(forID, collection.get('name'), ['id'], stem, undefined, 100000);
      for (const hit of (result && result.payload && result.payload.hits) || []) taken.add(hit.data.id);
    } catch (error) { /* no published items of this kind yet: the convention's first number */ }
    const id = nextId(convention, unit, new Date(), taken);
    this.pending = null;
    this.assigned = wanted;
    this.props.onChange(id);
  },
  render() {
    const value = this.props.value;
    return h('div', { id: this.props.forID, className: this.props.classNameWrapper, 'data-gongkai-id': value || '' },
      value || '选择发布单位后自动生成');
  },
});

// Objects the schema leaves open (a report's figures, a table schema): edited as YAML text, parsed
// when the text is valid; the check validates the result like any file.
const YamlTextControl = createClass({
  getInitialState() { return { text: this.props.value ? stringify(this.toJS(this.props.value), { lineWidth: 0 }) : '', error: '' }; },
  toJS(v) { return v && v.toJS ? v.toJS() : v; },
  render() {
    return h('div', {}, h('textarea', {
      id: this.props.forID, className: this.props.classNameWrapper, rows: 10, value: this.state.text,
      onChange: (e) => {
        const text = e.target.value;
        try { const value = parse(text); this.setState({ text, error: '' }); this.props.onChange(value); }
        catch (error) { this.setState({ text, error: 'YAML 格式有误,尚未保存这一处的修改。' }); }
      },
    }), this.state.error ? h('p', { role: 'alert' }, this.state.error) : null);
  },
});

// The preview pane: the item as the portal's page shows it (themes/portal/templates/article.html).
const ItemPreview = createClass({
  render() {
    const entry = this.props.entry;
    const data = (key) => entry.getIn(['data', key]);
    // The unit's name as the page shows it: the unit picker leaves the chosen record in the metadata.
    const metadata = this.props.fieldsMetaData;
    const unit = (metadata && metadata.getIn(['unit', 'units', data('unit'), 'name'])) || data('unit');
    const meta = [['发布机构', unit], ['发布时间', data('date') || data('received')], ['来源', data('source')],
      ['发文字号', data('doc_number')], ['索引号', data('index_number')]].filter(([, v]) => v);
    return h('main', { className: 'wrap' }, h('article', { className: 'article' },
      h('h1', {}, data('title')),
      h('p', { className: 'article-meta' }, meta.map(([k, v]) => h('span', { key: k }, `${k}:${v}`))),
      h('div', { className: 'article-body' }, paragraphs(data('body') || data('question')))));
  },
});

CMS.registerWidget('gongkai-string', compositionAware('input', { type: 'text' }), TextPreview);
CMS.registerWidget('gongkai-text', compositionAware('textarea', { rows: 12 }), TextPreview);
CMS.registerWidget('gongkai-id', IdControl);
CMS.registerWidget('gongkai-yaml-text', YamlTextControl);
CMS.registerCustomFormat('gongkai-frontmatter', 'md', frontMatterFormat);
CMS.registerCustomFormat('gongkai-yaml', 'yaml', yamlFormat);
CMS.registerPreviewStyle('portal.css');
for (const name of window.GONGKAI_ITEM_COLLECTIONS || []) CMS.registerPreviewTemplate(name, ItemPreview);
CMS.init();
