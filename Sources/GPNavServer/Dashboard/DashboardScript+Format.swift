extension DashboardScript {
    /// `format.js`: numbers, times and budgets as the page shows them, and table cells.
    static let format = #"""
        // Numbers, times and budgets as the dashboard shows them, and the table cells that hold them.
        // Values become text nodes, never HTML.

        export const STATES = ['complete', 'running', 'failed', 'pruned', 'abandoned'];

        // Keys of a trial's JSON that are not its architecture's depths or choices.
        const TRIAL_KEYS = new Set(['number', 'study', 'state', 'family', 'macs', 'params', 'accuracy', 'metrics',
          'proposal', 'step', 'acquisition', 'predicted_accuracy', 'predicted_std', 'started_at', 'finished_at',
          'heartbeat_at', 'error', 'evaluator_output', 'resolution', 'width', 'classes']);

        const missing = (value) => value === null || value === undefined;

        // 3 significant digits with k, M, G, T: 300000000 is 300M.
        export function si(value) {
          if (missing(value)) return '—';
          for (const [size, unit] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']]) {
            if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${unit}`;
          }
          return String(value);
        }

        export const percent = (value) => (missing(value) ? '—' : value.toFixed(2));

        export function duration(seconds) {
          if (missing(seconds) || !Number.isFinite(seconds)) return '—';
          if (seconds < 90) return `${Math.round(seconds)} s`;
          if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
          if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
          return `${(seconds / 86400).toFixed(1)} d`;
        }

        export const ago = (iso) => (iso ? `${duration(Math.max(0, (Date.now() - Date.parse(iso)) / 1000))} ago` : '—');

        // Seconds from a trial's start to its end; null while it runs.
        export const trialSeconds = (trial) => (trial.finished_at
          ? (Date.parse(trial.finished_at) - Date.parse(trial.started_at)) / 1000 : null);

        export const localTime = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

        export function budgetText(budget) {
          if (!budget) return '—';
          const parts = [];
          if (!missing(budget.macs)) parts.push(`MACs ≤ ${si(budget.macs)}`);
          if (!missing(budget.params)) parts.push(`params ≤ ${si(budget.params)}`);
          if (!missing(budget.memory_bytes)) {
            parts.push(`weights ≤ ${si(budget.memory_bytes)}B${budget.bits ? ` at ${budget.bits} bits` : ''}`);
          }
          return parts.length ? parts.join(', ') : 'none';
        }

        // The family's own keys besides resolution and width: depths, expansions.
        export function architectureText(trial) {
          return Object.keys(trial).filter((key) => !TRIAL_KEYS.has(key)).sort()
            .map((key) => `${key}=${Array.isArray(trial[key]) ? trial[key].join(',') : trial[key]}`).join(' ');
        }

        export function cell(text, { numeric = false, className = '', title = '' } = {}) {
          const td = document.createElement('td');
          td.textContent = text;
          if (numeric) td.classList.add('num');
          if (className) td.classList.add(className);
          if (title) td.title = title;
          return td;
        }

        export function fact(list, label, value) {
          const wrap = document.createElement('div');
          const term = document.createElement('dt');
          const detail = document.createElement('dd');
          term.textContent = label;
          detail.textContent = value;
          wrap.append(term, detail);
          list.append(wrap);
        }
        """#
}
