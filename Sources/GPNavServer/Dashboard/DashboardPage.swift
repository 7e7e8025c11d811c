/// The dashboard's HTML page and icon. The page holds no data: its script
/// (``DashboardScript``) signs in, reads the API and fills it in.
enum DashboardPage {
    /// The page as a server of `access` serves it: read-only, it says so in its header (without
    /// script too), and its body's `data-access` hides what only a read-write server offers
    /// (elements of class `writes`; a `reads` element stands in for them).
    static func html(for access: ServerAccess) -> String {
        switch access {
        case .readWrite:
            template.replacingOccurrences(of: accessMark, with: "")
        case .readOnly:
            template.replacingOccurrences(of: "<body>", with: #"<body data-access="read-only">"#)
                .replacingOccurrences(of: accessMark, with: readOnlyNote)
        }
    }

    private static let accessMark = "<!-- access -->"

    private static let readOnlyNote = #"""
    <p id="read-only" class="read-only">Read-only: this page reads the store as <code>gpnav dashboard</code> \#
    opened it; nothing here changes a study.</p>
    """#

    private static let template = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>gpnav dashboard</title>
    <link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/dashboard/dashboard.css">
    <script type="module" src="/dashboard/dashboard.js"></script>
    </head>
    <body>
    <a class="skip" href="#main">Skip to the content</a>
    <header class="bar">
      <p class="brand"><a href="#">gpnav</a> <span>dashboard</span></p>
      <!-- access -->
      <p id="live-status" class="live-status" role="status" aria-live="polite">Loading…</p>
      <button id="sign-out" type="button" hidden>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      <noscript><p class="error">The dashboard needs JavaScript; the API itself is at /openapi.json.</p></noscript>

      <section id="login" class="panel narrow" hidden aria-labelledby="login-title">
        <h1 id="login-title">Sign in</h1>
        <p>This server needs its API token (the one given to <code>gpnav serve</code> by
          <code>--token-file</code> or <code>GPNAV_TOKEN</code>). The page keeps it in this tab's session
          storage only, never in the address, and sends it to this server alone.</p>
        <form id="login-form" novalidate>
          <label for="token">API token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false"
                 required aria-describedby="login-error">
          <button type="submit">Sign in</button>
          <p id="login-error" class="error" role="alert"></p>
        </form>
      </section>

      <section id="studies" hidden aria-labelledby="studies-title">
        <h1 id="studies-title">Studies</h1>
        <p id="no-studies" hidden><span class="writes">No studies yet. Create one with <code>gpnav studies create</code> or
          <code>POST /v1/studies</code>; it appears here by itself.</span><span class="reads">No studies in this store yet.
          One made by <code>gpnav search</code> or <code>gpnav serve</code> appears here by itself.</span></p>
        <div class="scroll" id="studies-wrap">
          <table id="studies-table">
            <caption class="visually-hidden">Studies with their trials by state and best accuracy within budget</caption>
            <thead><tr>
              <th scope="col">Study</th><th scope="col">Family</th><th scope="col">Budget</th>
              <th scope="col" class="num">Trials / target</th><th scope="col" class="num">Complete</th>
              <th scope="col" class="num">Running</th><th scope="col" class="num">Failed</th>
              <th scope="col" class="num">Pruned</th><th scope="col" class="num">Best accuracy</th>
              <th scope="col" class="num">Best MACs</th>
            </tr></thead>
            <tbody></tbody>
          </table>
        </div>
      </section>

      <section id="study" hidden aria-labelledby="study-title">
        <p><a href="#">← All studies</a></p>
        <h1 id="study-title"></h1>
        <dl id="study-facts" class="facts"></dl>

        <section aria-labelledby="pictures-title">
          <h2 id="pictures-title">Pictures</h2>
          <div class="pictures">
            <figure id="picture-history" class="picture">
              <figcaption>Best accuracy so far against trial number</figcaption>
              <img alt="Search history: best accuracy so far within budget against trial number" hidden>
              <p class="picture-note"></p>
            </figure>
            <figure id="picture-pareto" class="picture">
              <figcaption>Pareto front of two objectives</figcaption>
              <form id="pareto-form" class="controls">
                <label for="pareto-x">Across</label><select id="pareto-x"></select>
                <label for="pareto-y">Up</label><select id="pareto-y"></select>
              </form>
              <img alt="The two chosen objectives of every complete trial, with their Pareto front and the budget" hidden>
              <p class="picture-note"></p>
            </figure>
            <figure id="picture-cube" class="picture wide">
              <figcaption>The GP's predicted accuracy over two factors (cube slices)</figcaption>
              <form id="cube-form" class="controls">
                <label for="cube-x">Across</label><select id="cube-x"></select>
                <label for="cube-y">Up</label><select id="cube-y"></select>
                <label class="check"><input id="cube-grid" type="checkbox"> All slices</label>
              </form>
              <img alt="Heat map of the GP's predicted accuracy over the two chosen factors" hidden>
              <p class="picture-note"></p>
            </figure>
            <figure id="picture-curves" class="picture">
              <figcaption>Learning curves of running and finished trials</figcaption>
              <img alt="Top-1 accuracy against epoch of every trial that reported one, the best trial within budget in black" hidden>
              <p class="picture-note"></p>
            </figure>
          </div>
        </section>

        <section id="relevance" aria-labelledby="relevance-title">
          <h2 id="relevance-title">Factor relevance</h2>
          <p>What the GP learnt about each factor, as <code>gpnav analyze</code> computes it: its share of the
            variance of the predicted accuracy over the search space (the size of its effect) and its length
            scale (how curved the effect is).</p>
          <div class="scroll">
            <table id="relevance-table" hidden>
              <caption></caption>
              <thead><tr>
                <th scope="col">Factor</th><th scope="col" class="num">Share of variance</th>
                <th scope="col" class="num">Length scale</th><th scope="col" class="num">Rank</th>
              </tr></thead>
              <tbody></tbody>
            </table>
          </div>
          <ul id="relevance-statements" class="statements"></ul>
          <p class="picture-note"></p>
        </section>

        <section aria-labelledby="running-title">
          <h2 id="running-title">Running trials</h2>
          <p id="no-running">None.</p>
          <div class="scroll">
            <table id="running-table" hidden>
              <thead><tr>
                <th scope="col" class="num">Trial</th><th scope="col">Worker</th>
                <th scope="col">Started</th><th scope="col">Last heartbeat</th>
              </tr></thead>
              <tbody></tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="trials-title">
          <h2 id="trials-title">Trials</h2>
          <form id="trial-filters" class="controls">
            <label for="state-filter">State</label>
            <select id="state-filter">
              <option value="">all</option><option>complete</option><option>running</option>
              <option>failed</option><option>pruned</option><option>abandoned</option>
            </select>
            <label for="text-filter">Contains</label>
            <input id="text-filter" type="search" spellcheck="false">
            <button id="download-csv" type="button">Download CSV</button>
            <span id="trial-count" class="count" aria-live="polite"></span>
          </form>
          <div class="scroll">
            <table id="trials-table">
              <caption class="visually-hidden">Trials of the study; the column buttons sort</caption>
              <thead><tr></tr></thead>
              <tbody></tbody>
            </table>
          </div>
        </section>
      </section>
    </main>
    </body>
    </html>
    """#

    /// The page's icon: an ascending staircase, the best-so-far line of a search.
    static let icon = #"""
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4ed8"/>\#
    <path d="M3 12h3V9h3V6h4" fill="none" stroke="#fff" stroke-width="1.8"/></svg>
    """#
}
