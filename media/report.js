// The Diagnose report webview (issue 8). Everything that comes from a bundle is put in the page
// with textContent only: no HTML is ever parsed from data. The page runs under a content security
// policy that allows only this script (by nonce) and the extension's stylesheet. Clicks on
// evidence and copy buttons are posted to the extension, which opens the file at the line or
// copies the command.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('report'));

  /** @param {string} tag @param {string} [cls] @param {string} [text] */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** An evidence line: `file:line` as a link that opens it, and the line's text. */
  function evidenceList(list, labels) {
    const ul = el('ul', 'evidence');
    for (const ev of list) {
      const li = el('li');
      const a = el('a', 'place', ev.line ? `${ev.file}:${ev.line}` : ev.file);
      a.setAttribute('href', '#');
      a.setAttribute('title', labels.open);
      a.dataset.file = ev.file;
      a.dataset.line = String(ev.line || 1);
      li.appendChild(a);
      if (ev.text) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('code', 'line', ev.text));
      }
      ul.appendChild(li);
    }
    return ul;
  }

  /** A command to run: a block with a copy button. */
  function command(text, labels) {
    const box = el('div', 'command');
    box.appendChild(el('pre', undefined, text));
    const b = el('button', 'copy', labels.copy);
    b.dataset.copy = text;
    box.appendChild(b);
    return box;
  }

  function render(report, labels) {
    root.textContent = '';
    const d = report.diagnosis;
    root.appendChild(el('h1', undefined, report.heading));
    const subject = el('p', 'subject');
    subject.appendChild(document.createTextNode(`${labels.analysed} `));
    subject.appendChild(el('code', undefined, report.subject));
    root.appendChild(subject);

    const verdict = el('section', `verdict verdict-${d.verdict}`);
    verdict.setAttribute('data-verdict', d.verdict);
    verdict.appendChild(el('div', 'verdict-id', d.verdict));
    verdict.appendChild(el('h2', undefined, d.title));
    verdict.appendChild(el('p', undefined, d.summary));
    if (d.evidence.length > 0) verdict.appendChild(evidenceList(d.evidence, labels));
    root.appendChild(verdict);

    root.appendChild(el('h2', undefined, labels.steps));
    const steps = el('ol', 'steps');
    for (const s of d.steps) {
      const li = el('li', `step status-${s.status}`);
      li.setAttribute('data-step', s.id);
      const head = el('div', 'step-head');
      head.appendChild(el('span', `badge badge-${s.status}`, labels.status[s.status]));
      head.appendChild(el('strong', undefined, s.title));
      li.appendChild(head);
      li.appendChild(el('p', undefined, s.message));
      if (s.evidence.length > 0) li.appendChild(evidenceList(s.evidence, labels));
      if (s.settle) {
        const settle = el('div', 'settle');
        settle.appendChild(el('p', undefined, `${labels.settle} ${s.settle.text}`));
        if (s.settle.how) settle.appendChild(command(s.settle.how, labels));
        li.appendChild(settle);
      }
      steps.appendChild(li);
    }
    root.appendChild(steps);

    root.appendChild(el('h2', undefined, labels.next));
    if (d.actions.length === 0) root.appendChild(el('p', undefined, labels.nothingToDo));
    const actions = el('ol', 'actions');
    for (const a of d.actions) {
      const li = el('li');
      li.appendChild(el('p', undefined, a.title));
      if (a.command) li.appendChild(command(a.command, labels));
      actions.appendChild(li);
    }
    root.appendChild(actions);

    const more = el('p', 'more');
    const full = el('a', undefined, labels.fullReport);
    full.setAttribute('href', '#');
    full.dataset.markdown = '1';
    more.appendChild(full);
    root.appendChild(more);
  }

  document.addEventListener('click', (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    const link = t.closest('a');
    if (link && link.dataset.file !== undefined) {
      e.preventDefault();
      vscode.postMessage({ type: 'open', file: link.dataset.file, line: Number(link.dataset.line) || 1 });
    } else if (link && link.dataset.markdown) {
      e.preventDefault();
      vscode.postMessage({ type: 'markdown' });
    } else if (t instanceof HTMLButtonElement && t.dataset.copy !== undefined) {
      vscode.postMessage({ type: 'copy', text: t.dataset.copy });
    }
  });

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m && m.type === 'show') {
      render(m.report, m.labels);
      vscode.setState(m);
    }
  });

  const saved = vscode.getState();
  if (saved && saved.type === 'show') render(saved.report, saved.labels);
  vscode.postMessage({ type: 'ready' });
})();
