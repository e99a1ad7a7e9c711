//! Migrations, applied in order on open. Portable SQL (SQLite and PostgreSQL dialects agree on
//! everything used here); times are integer Unix milliseconds (UTC), money integer 分.

// SQLite-specific: `WITHOUT ROWID` on the line tables keeps each a single b-tree (their
// primary key is the clustering key); a PostgreSQL migration set drops the clause.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        r#"
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE centers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'district')),
    parent_id INTEGER REFERENCES centers(id)
);
CREATE TABLE towns (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    center_id INTEGER NOT NULL REFERENCES centers(id)
);
CREATE TABLE stations (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    town_id INTEGER NOT NULL REFERENCES towns(id),
    licence_no TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    opened_on TEXT NOT NULL,
    closed_on TEXT
);
CREATE TABLE terminals (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    secret_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled'))
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    station_id INTEGER REFERENCES stations(id),
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE draws (
    id INTEGER PRIMARY KEY,
    game TEXT NOT NULL,
    number TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    draw_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    UNIQUE (game, number)
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    -- Derived from the id (see sales::ticket_serial): unique because the id is.
    serial TEXT NOT NULL,
    terminal_id INTEGER NOT NULL REFERENCES terminals(id),
    station_id INTEGER NOT NULL REFERENCES stations(id),
    game TEXT NOT NULL,
    first_draw_id INTEGER NOT NULL REFERENCES draws(id),
    draw_count INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    verification_code TEXT NOT NULL,
    sold_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sold', 'cancelled')),
    cancelled_at INTEGER,
    UNIQUE (terminal_id, request_id)
);
CREATE INDEX tickets_station ON tickets (station_id, sold_at);
CREATE TABLE ticket_lines (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    line_no INTEGER NOT NULL,
    selection TEXT NOT NULL,
    bets INTEGER NOT NULL,
    multiple INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, line_no)
) WITHOUT ROWID;
CREATE TABLE ticket_draws (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    draw_id INTEGER NOT NULL REFERENCES draws(id),
    amount_fen INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, draw_id)
) WITHOUT ROWID;
CREATE INDEX ticket_draws_draw ON ticket_draws (draw_id);
CREATE TABLE accounts (
    code TEXT PRIMARY KEY,
    normal_side TEXT NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    no_overdraft INTEGER NOT NULL DEFAULT 0,
    balance_fen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE journal_entries (
    id INTEGER PRIMARY KEY,
    entry_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    memo TEXT NOT NULL,
    posted_at INTEGER NOT NULL
);
CREATE INDEX journal_entries_ticket ON journal_entries (ticket_id);
CREATE TABLE journal_lines (
    entry_id INTEGER NOT NULL REFERENCES journal_entries(id),
    line_no INTEGER NOT NULL,
    account TEXT NOT NULL REFERENCES accounts(code) DEFERRABLE INITIALLY DEFERRED,
    draw_id INTEGER,
    amount_fen INTEGER NOT NULL,
    PRIMARY KEY (entry_id, line_no)
) WITHOUT ROWID;
CREATE TABLE daily_sales (
    id INTEGER PRIMARY KEY,
    sale_date TEXT NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    game TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    bets INTEGER NOT NULL,
    UNIQUE (sale_date, station_id, game)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"#,
    ),
    (
        2,
        r#"
CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('elderly', 'disabled', 'orphans', 'poverty')),
    year INTEGER NOT NULL,
    district_code TEXT NOT NULL,
    budget_fen INTEGER NOT NULL CHECK (budget_fen > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'rejected', 'closed')),
    maker TEXT NOT NULL,
    checker TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE TABLE beneficiaries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'institution')),
    name TEXT NOT NULL,
    id_number TEXT UNIQUE,
    birth_date TEXT,
    town_code TEXT NOT NULL REFERENCES towns(code),
    household TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX beneficiaries_likely ON beneficiaries (name, birth_date, town_code);
CREATE TABLE grant_batches (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    maker TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id),
    batch_id INTEGER REFERENCES grant_batches(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    purpose TEXT NOT NULL,
    grant_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('proposed', 'rejected', 'paid')),
    maker TEXT NOT NULL,
    checker TEXT,
    reason TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX grants_programme ON grants (programme_id);
CREATE INDEX grants_batch ON grants (batch_id);
"#,
    ),
    (
        3,
        r#"
CREATE TABLE draw_seals (
    draw_id INTEGER PRIMARY KEY REFERENCES draws(id),
    file TEXT NOT NULL,
    rows INTEGER NOT NULL,
    bets INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    sealed_at INTEGER NOT NULL,
    sealed_by TEXT NOT NULL
);
CREATE TABLE draw_commitments (
    draw_id INTEGER PRIMARY KEY REFERENCES draws(id),
    commitment TEXT NOT NULL,
    -- Revealed only in the transcript, after the result.
    secret TEXT NOT NULL,
    committed_at INTEGER NOT NULL,
    committed_by TEXT NOT NULL
);
-- The first of the two official result entries, waiting for a second person.
CREATE TABLE result_entries (
    draw_id INTEGER PRIMARY KEY REFERENCES draws(id),
    numbers TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL
);
CREATE TABLE draw_results (
    draw_id INTEGER PRIMARY KEY REFERENCES draws(id),
    numbers TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('official', 'verifiable')),
    first_by TEXT NOT NULL,
    second_by TEXT NOT NULL,
    transcript TEXT,
    recorded_at INTEGER NOT NULL
);
CREATE TABLE draw_settlements (
    draw_id INTEGER PRIMARY KEY REFERENCES draws(id),
    rule_version TEXT NOT NULL,
    sales_fen INTEGER NOT NULL,
    prize_fund_fen INTEGER NOT NULL,
    pool_before_fen INTEGER NOT NULL,
    pool_after_fen INTEGER NOT NULL,
    adjustment_delta_fen INTEGER NOT NULL,
    advance_fen INTEGER NOT NULL,
    prizes_fen INTEGER NOT NULL,
    fuyun TEXT NOT NULL,
    fuyun_next INTEGER,
    claim_deadline TEXT NOT NULL,
    settled_at INTEGER NOT NULL,
    settled_by TEXT NOT NULL,
    expired_at INTEGER,
    expired_fen INTEGER
);
CREATE TABLE draw_tiers (
    draw_id INTEGER NOT NULL REFERENCES draws(id),
    position INTEGER NOT NULL,
    tier TEXT NOT NULL,
    name TEXT NOT NULL,
    bets INTEGER NOT NULL,
    prize_fen INTEGER NOT NULL,
    PRIMARY KEY (draw_id, tier)
);
CREATE TABLE ticket_winnings (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    draw_id INTEGER NOT NULL REFERENCES draws(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    -- Winning bets per tier, JSON object (multiples included).
    tiers TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unclaimed', 'paid', 'expired')),
    PRIMARY KEY (ticket_id, draw_id)
);
CREATE INDEX ticket_winnings_draw ON ticket_winnings (draw_id, status);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    draw_id INTEGER NOT NULL REFERENCES draws(id),
    -- Keyed hash of the claimant's 身份证号 (never the number itself), to add up one
    -- person's winnings in one draw.
    claimant_key TEXT,
    claimant_masked TEXT,
    gross_fen INTEGER NOT NULL,
    tax_fen INTEGER NOT NULL,
    net_fen INTEGER NOT NULL,
    office TEXT NOT NULL,
    paid_by TEXT NOT NULL,
    paid_at INTEGER NOT NULL,
    UNIQUE (ticket_id, draw_id)
);
CREATE INDEX claims_claimant ON claims (claimant_key, draw_id);
"#,
    ),
    (
        4,
        // Every index keyed by station or terminal is written at a random place by each sale,
        // and a batch of sales from N stations dirties N pages of it. A terminal is bound to
        // its station for good, so a station's tickets are found through its terminals and
        // the (terminal, request) index; the station index only cost writes.
        // Likewise the sale's journal entry is found by its key ("sale:<serial>"), so the
        // index of entries by ticket goes too.
        r#"
DROP INDEX tickets_station;
DROP INDEX journal_entries_ticket;
"#,
    ),
    (
        5,
        // The draws table gets the CHECK every other status column has (`DrawStatus`). A
        // column's CHECK cannot be added in place: the table is rebuilt (SQLite's documented
        // procedure; `migrate` turns foreign keys off around the migrations and checks them
        // after), keeping every id, so the tables that refer to draws still do.
        r#"
CREATE TABLE draws_checked (
    id INTEGER PRIMARY KEY,
    game TEXT NOT NULL,
    number TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    draw_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled', 'sealing', 'sealed', 'resulted', 'settled', 'expired')),
    UNIQUE (game, number)
);
INSERT INTO draws_checked (id, game, number, opens_at, closes_at, draw_at, status)
    SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws;
DROP TABLE draws;
ALTER TABLE draws_checked RENAME TO draws;
"#,
    ),
    (
        6,
        // Station upkeep: why a station is suspended and every move of its status, and the
        // people who work at stations (a register of their own, apart from login accounts).
        r#"
ALTER TABLE stations ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
CREATE TABLE station_events (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    from_status TEXT NOT NULL CHECK (from_status IN ('active', 'suspended', 'closed')),
    to_status TEXT NOT NULL CHECK (to_status IN ('active', 'suspended', 'closed')),
    effective_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX station_events_station ON station_events (station_id, id);
CREATE TABLE station_people (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'clerk')),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_number TEXT NOT NULL,
    from_on TEXT NOT NULL,
    to_on TEXT,
    certificates TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (station_id, id_number, from_on)
);
CREATE INDEX station_people_station ON station_people (station_id);
"#,
    ),
    (
        7,
        // Training: sessions (with an exam where `pass_score` is set) and who attended —
        // a station person or a member of the center's staff, never both.
        r#"
CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'staff', 'external')),
    topic TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    trainer TEXT NOT NULL,
    pass_score INTEGER CHECK (pass_score BETWEEN 0 AND 100),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX training_sessions_held ON training_sessions (held_on);
CREATE TABLE training_attendance (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES training_sessions(id),
    person_id INTEGER REFERENCES station_people(id),
    user_id INTEGER REFERENCES users(id),
    score INTEGER CHECK (score BETWEEN 0 AND 100),
    CHECK ((person_id IS NULL) <> (user_id IS NULL)),
    UNIQUE (session_id, person_id),
    UNIQUE (session_id, user_id)
);
CREATE INDEX training_attendance_person ON training_attendance (person_id);
CREATE INDEX training_attendance_user ON training_attendance (user_id);
"#,
    ),
    (
        8,
        // Visits and what they find: the year's visit plans, visits with their checklist
        // scores, findings with every move of their rectification kept, appeals, return
        // visits to the people served, and the yearly star ratings once recorded.
        r#"
CREATE TABLE visit_plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'inspection', 'mystery')),
    per_station INTEGER NOT NULL CHECK (per_station BETWEEN 1 AND 52),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (year, kind)
);
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'inspection', 'mystery')),
    visited_on TEXT NOT NULL,
    visitors TEXT NOT NULL,
    opinions TEXT NOT NULL DEFAULT '',
    checklist_version TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX visits_station ON visits (station_id, visited_on);
CREATE INDEX visits_day ON visits (visited_on);
CREATE TABLE visit_scores (
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    item TEXT NOT NULL,
    points INTEGER NOT NULL CHECK (points >= 0),
    PRIMARY KEY (visit_id, item)
) WITHOUT ROWID;
CREATE TABLE return_visits (
    id INTEGER PRIMARY KEY,
    station_id INTEGER REFERENCES stations(id),
    beneficiary_id INTEGER REFERENCES beneficiaries(id),
    visited_on TEXT NOT NULL,
    visitor TEXT NOT NULL,
    person TEXT NOT NULL,
    outcome TEXT NOT NULL,
    satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK ((station_id IS NULL) <> (beneficiary_id IS NULL))
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    station_id INTEGER REFERENCES stations(id),
    visit_id INTEGER REFERENCES visits(id),
    return_visit_id INTEGER REFERENCES return_visits(id),
    item TEXT,
    description TEXT NOT NULL,
    responsible TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('open', 'in_progress', 'submitted', 'closed', 'reopened', 'withdrawn')),
    evidence TEXT NOT NULL DEFAULT '',
    submitted_by TEXT,
    raised_by TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    CHECK ((visit_id IS NULL) <> (return_visit_id IS NULL))
);
CREATE INDEX findings_station ON findings (station_id, status);
CREATE INDEX findings_status ON findings (status, deadline);
CREATE TABLE finding_events (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    from_status TEXT
        CHECK (from_status IN ('open', 'in_progress', 'submitted', 'closed', 'reopened', 'withdrawn')),
    to_status TEXT NOT NULL
        CHECK (to_status IN ('open', 'in_progress', 'submitted', 'closed', 'reopened', 'withdrawn')),
    note TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, id);
CREATE TABLE finding_appeals (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    reason TEXT NOT NULL,
    filed_by TEXT NOT NULL,
    filed_at INTEGER NOT NULL,
    decision TEXT CHECK (decision IN ('upheld', 'overturned')),
    decision_note TEXT,
    decided_by TEXT,
    decided_at INTEGER
);
CREATE INDEX finding_appeals_finding ON finding_appeals (finding_id);
CREATE TABLE station_ratings (
    year INTEGER NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    inspections INTEGER NOT NULL,
    average_score_x100 INTEGER NOT NULL,
    sales_fen INTEGER NOT NULL,
    open_findings INTEGER NOT NULL,
    points_x100 INTEGER NOT NULL,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    commission_permille INTEGER NOT NULL,
    rule_version TEXT NOT NULL,
    rated_by TEXT NOT NULL,
    rated_at INTEGER NOT NULL,
    PRIMARY KEY (year, station_id)
);
"#,
    ),
    (
        9,
        // Station money: each station's sales account terms (credit limit set by its
        // deposit, days allowed before takings are overdue) and its remittances (缴款).
        r#"
CREATE TABLE station_accounts (
    station_id INTEGER PRIMARY KEY REFERENCES stations(id),
    credit_limit_fen INTEGER NOT NULL CHECK (credit_limit_fen >= 0),
    remit_days INTEGER NOT NULL CHECK (remit_days BETWEEN 1 AND 60),
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL
);
CREATE TABLE remittances (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'bank_debit')),
    reference TEXT NOT NULL DEFAULT '',
    paid_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX remittances_station ON remittances (station_id, paid_on);
"#,
    ),
    (
        10,
        // Campaigns (营销活动) with the ranking kept at their close and their rewards;
        // activities (党建 / 志愿服务 / 团建) with the staff who took part; evidence files
        // (stored by SHA-256 beside the database) and what each is evidence of.
        r#"
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    games TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('volume', 'growth', 'per_day')),
    town_code TEXT REFERENCES towns(code),
    status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_by TEXT,
    closed_at INTEGER
);
CREATE TABLE campaign_standings (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    rank INTEGER NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    sales_fen INTEGER NOT NULL,
    base_fen INTEGER NOT NULL,
    days_open INTEGER NOT NULL,
    score TEXT NOT NULL,
    PRIMARY KEY (campaign_id, rank)
);
CREATE TABLE campaign_rewards (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    station_id INTEGER NOT NULL REFERENCES stations(id),
    reward TEXT NOT NULL,
    given_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('party', 'volunteer', 'team_building', 'other')),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    place TEXT NOT NULL,
    organiser TEXT NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    description TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX activities_day ON activities (starts_on);
CREATE TABLE activity_staff (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (activity_id, user_id)
) WITHOUT ROWID;
CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf')),
    name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE TABLE evidence_links (
    sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
    subject TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (subject, sha256)
);
"#,
    ),
    (
        11,
        // A verifiable draw's commitment names one future drand quicknet round and the time by
        // which the draw must be run (the round's time plus the configured window); `reveal`
        // marks a draw run after that time (late) or not run by it (abandoned). Commitments
        // made before fucai-draw-v2 have no round and took an operator's beacon.
        r#"
ALTER TABLE draw_commitments ADD COLUMN beacon_round INTEGER;
ALTER TABLE draw_commitments ADD COLUMN reveal_by INTEGER;
ALTER TABLE draw_commitments ADD COLUMN reveal TEXT CHECK (reveal IN ('late', 'abandoned'));
"#,
    ),
    (
        12,
        // 中福在线: the video-lottery halls and each hall's daily close from the upstream
        // system. A corrected day keeps every revision; `current` marks the one in force.
        r#"
CREATE TABLE halls (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    address TEXT NOT NULL,
    terminals INTEGER NOT NULL CHECK (terminals >= 0),
    opening_hours TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'closed')),
    opening_card_balance_fen INTEGER NOT NULL CHECK (opening_card_balance_fen >= 0)
);
CREATE TABLE hall_days (
    hall_id INTEGER NOT NULL REFERENCES halls(id),
    day TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    wagered_fen INTEGER NOT NULL CHECK (wagered_fen >= 0),
    prizes_fen INTEGER NOT NULL CHECK (prizes_fen >= 0),
    top_ups_fen INTEGER NOT NULL CHECK (top_ups_fen >= 0),
    cash_outs_fen INTEGER NOT NULL CHECK (cash_outs_fen >= 0),
    card_balance_fen INTEGER NOT NULL CHECK (card_balance_fen >= 0),
    terminals_online INTEGER NOT NULL CHECK (terminals_online >= 0),
    current INTEGER NOT NULL CHECK (current IN (0, 1)),
    imported_by TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (hall_id, day, revision)
) WITHOUT ROWID;
CREATE UNIQUE INDEX hall_days_current ON hall_days (hall_id, day) WHERE current = 1;
"#,
    ),
    (
        13,
        // 即开票: each batch's winner file (its SHA-256 published), the packs and every move
        // they make, the prizes paid (one row a ticket), and each station's claim scope.
        r#"
ALTER TABLE stations ADD COLUMN instant_claim_scope TEXT NOT NULL DEFAULT 'own'
    CHECK (instant_claim_scope IN ('own', 'area', 'center'));
CREATE TABLE instant_batches (
    id INTEGER PRIMARY KEY,
    game TEXT NOT NULL,
    batch TEXT NOT NULL,
    winner_sha256 TEXT NOT NULL,
    winner_file TEXT NOT NULL,
    winners INTEGER NOT NULL,
    prizes_fen INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (game, batch)
);
CREATE TABLE instant_packs (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES instant_batches(id),
    pack INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_transit', 'at_center', 'to_station', 'at_station',
        'activated', 'settled', 'returned', 'held', 'blocked')),
    station_id INTEGER REFERENCES stations(id),
    activated_at INTEGER,
    settled_at INTEGER,
    sales_posted_at INTEGER,
    -- What the pack's sales entry posted (its tickets × face value).
    sales_fen INTEGER,
    UNIQUE (batch_id, pack)
);
CREATE INDEX instant_packs_state ON instant_packs (state, station_id);
CREATE TABLE instant_pack_events (
    id INTEGER PRIMARY KEY,
    pack_id INTEGER NOT NULL REFERENCES instant_packs(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    station_id INTEGER REFERENCES stations(id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX instant_pack_events_pack ON instant_pack_events (pack_id);
CREATE TABLE instant_claims (
    id INTEGER PRIMARY KEY,
    pack_id INTEGER NOT NULL REFERENCES instant_packs(id),
    ticket INTEGER NOT NULL,
    prize_fen INTEGER NOT NULL,
    tax_fen INTEGER NOT NULL,
    net_fen INTEGER NOT NULL,
    office TEXT NOT NULL,
    station_id INTEGER REFERENCES stations(id),
    claimant_masked TEXT,
    paid_by TEXT NOT NULL,
    paid_at INTEGER NOT NULL,
    UNIQUE (pack_id, ticket)
);
"#,
    ),
    (
        14,
        // 即开票 orders (订票): a station asks for packs of a game; issuing packs against the
        // order counts them until it is filled.
        r#"
CREATE TABLE instant_orders (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id),
    game TEXT NOT NULL,
    packs INTEGER NOT NULL CHECK (packs > 0),
    issued INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0),
    note TEXT NOT NULL DEFAULT '',
    ordered_by TEXT NOT NULL,
    ordered_at INTEGER NOT NULL
);
CREATE INDEX instant_orders_station ON instant_orders (station_id);
"#,
    ),
    (
        15,
        // Years before fucai kept the books: each year's sales by channel and the welfare fund
        // raised, as the center's records give them (the cumulative figures start here).
        r#"
CREATE TABLE history_years (
    year INTEGER PRIMARY KEY,
    computer_fen INTEGER NOT NULL CHECK (computer_fen >= 0),
    instant_fen INTEGER NOT NULL CHECK (instant_fen >= 0),
    vlt_fen INTEGER NOT NULL CHECK (vlt_fen >= 0),
    welfare_fen INTEGER NOT NULL CHECK (welfare_fen >= 0),
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
"#,
    ),
    (
        16,
        // The portal's news and notices: drafts edited and previewed by staff, published (or
        // later withdrawn); an article's image is an evidence file (stored once by SHA-256).
        r#"
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('news', 'notice')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    image_sha256 TEXT REFERENCES evidence_files(sha256),
    image_alt TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    written_by TEXT NOT NULL,
    written_at INTEGER NOT NULL,
    published_by TEXT,
    published_at INTEGER
);
CREATE INDEX articles_status ON articles (status, published_at);
"#,
    ),
];
