/// The dashboard's style sheet: system fonts, dark text on light grounds (contrast above 7:1 for
/// text, 4.5:1 for links and controls), a visible focus ring, and one column on narrow screens
/// where wide tables scroll within their own box.
enum DashboardStyle {
    static let css = #"""
    :root {
      --ink: #111827; --muted: #4b5563; --ground: #ffffff; --panel: #f3f4f6; --line: #d1d5db;
      --accent: #1d4ed8; --accent-ink: #ffffff; --bad: #b91c1c; --good: #166534; --running: #92400e;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
      font-size: 16px; line-height: 1.45; color: var(--ink); background: var(--ground);
    }
    * { box-sizing: border-box; }
    body { margin: 0; }
    a { color: var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, main:focus-visible {
      outline: 3px solid #f59e0b; outline-offset: 2px;
    }
    .skip { position: absolute; left: -999px; top: 0; background: var(--ground); padding: .5rem; }
    .skip:focus { left: .5rem; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .bar {
      display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem;
      background: #111827; color: #f9fafb;
    }
    .bar a { color: #f9fafb; text-decoration: none; font-weight: 700; }
    .brand { margin: 0; font-size: 1.15rem; }
    .brand span { color: #d1d5db; font-weight: 400; }
    .live-status { margin: 0; flex: 1 1 12rem; color: #e5e7eb; font-size: .9rem; }
    .live-status.stale { color: #fecaca; }
    .read-only { margin: 0; padding: .15rem .6rem; border: 1px solid #fbbf24; border-radius: .35rem; color: #fde68a; font-size: .9rem; }
    .read-only code { background: transparent; color: inherit; }
    body[data-access="read-only"] .writes, body:not([data-access="read-only"]) .reads { display: none; }
    main { padding: 1rem clamp(.75rem, 3vw, 2rem) 3rem; max-width: 110rem; margin: 0 auto; }
    h1 { font-size: 1.5rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; }
    button {
      font: inherit; padding: .4rem .9rem; border-radius: .35rem; border: 1px solid var(--accent);
      background: var(--accent); color: var(--accent-ink); cursor: pointer;
    }
    .bar button { background: transparent; border-color: #9ca3af; color: #f9fafb; }
    input, select { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7280; border-radius: .35rem; background: #fff; color: var(--ink); }
    .panel { background: var(--panel); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; }
    .narrow { max-width: 34rem; margin: 2rem auto; }
    #login-form { display: grid; gap: .5rem; }
    .error { color: var(--bad); margin: .25rem 0; min-height: 1.2em; }
    .scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: .4rem; }
    .scroll:has(> table[hidden]) { display: none; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: .4rem .6rem; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; }
    thead th { background: var(--panel); position: sticky; top: 0; font-weight: 600; }
    th.num, td.num { text-align: right; }
    tbody tr:hover { background: #eff6ff; }
    th button.sort {
      background: none; border: none; color: var(--ink); padding: 0; font-weight: 600; text-align: inherit;
    }
    th button.sort::after { content: " ↕"; color: var(--muted); }
    th[aria-sort="ascending"] button.sort::after { content: " ▲"; color: var(--ink); }
    th[aria-sort="descending"] button.sort::after { content: " ▼"; color: var(--ink); }
    .state-complete { color: var(--good); }
    .state-failed, .state-pruned, .state-abandoned { color: var(--bad); }
    .state-running { color: var(--running); font-weight: 600; }
    .controls { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem .75rem; margin: .5rem 0 .75rem; }
    .controls .check { display: inline-flex; gap: .35rem; align-items: center; }
    .count { color: var(--muted); }
    .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 10rem), 1fr)); gap: .5rem 1rem; margin: 0; }
    .facts div { background: var(--panel); border-radius: .4rem; padding: .5rem .75rem; }
    .facts dt { color: var(--muted); font-size: .85rem; }
    .facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    .pictures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); gap: 1rem; }
    .picture { margin: 0; border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; background: #fff; min-width: 0; }
    .picture.wide { grid-column: 1 / -1; }
    .picture figcaption { font-weight: 600; margin-bottom: .5rem; }
    .picture img { display: block; width: 100%; max-width: 60rem; height: auto; margin: 0 auto; }
    .picture-note { color: var(--muted); margin: .5rem 0 0; }
    .picture-note:empty { display: none; }
    .share-bar {
      display: inline-block; width: calc(var(--share, 0) * 6rem); height: .7rem; margin-right: .5rem;
      background: var(--accent); vertical-align: baseline;
    }
    #relevance-table caption { caption-side: bottom; text-align: left; padding: .4rem .6rem; color: var(--muted); white-space: normal; }
    .statements { padding-left: 1.25rem; max-width: 60rem; }
    .statements li { margin: .25rem 0; }
    .stale-heartbeat { color: var(--bad); font-weight: 600; }
    code { background: var(--panel); padding: 0 .25rem; border-radius: .2rem; }
    @media (max-width: 40rem) {
      html { font-size: 15px; }
      th, td { padding: .35rem .45rem; }
      .bar { padding: .5rem .75rem; }
    }
    @media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto; } }
    """#
}
