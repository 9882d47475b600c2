// The ops dashboard page. No build step, no libraries: it fetches /api/dashboard with an OPS bearer
// token, then follows /api/dashboard/stream (Server-Sent Events; EventSource cannot send headers, so
// that one request carries the token as access_token). Everything from the server is set as text,
// never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'eport.dashboard.token';
  const $ = (selector) => document.querySelector(selector);
  let source = null;
  let token = null;

  // ---- signing in -------------------------------------------------------------------------------

  function tokenFromFragment() {
    const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    if (!match) {
      return null;
    }
    // Out of the address bar (and the history) at once.
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return decodeURIComponent(match[1]);
  }

  function setConnection(text, kind) {
    const pill = $('#connection');
    pill.textContent = text;
    pill.className = 'pill ' + kind;
  }

  async function connect(candidate) {
    $('#login-error').hidden = true;
    let response;
    try {
      response = await fetch('/api/dashboard', { headers: { Authorization: 'Bearer ' + candidate } });
    } catch (e) {
      return refuse('The dashboard service does not answer.');
    }
    if (response.status === 401) {
      return refuse('That token was not accepted (expired, or not signed by the identity provider).');
    }
    if (response.status === 403) {
      return refuse('That token does not carry the OPS role.');
    }
    if (!response.ok) {
      return refuse('The dashboard answered ' + response.status + '.');
    }
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, candidate);
    $('#login').hidden = true;
    $('#board').hidden = false;
    $('#disconnect').hidden = false;
    render(await response.json());
    follow();
  }

  function refuse(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    token = null;
    $('#login').hidden = false;
    $('#board').hidden = true;
    $('#disconnect').hidden = true;
    $('#login-error').textContent = message;
    $('#login-error').hidden = false;
    setConnection('not connected', 'refused');
  }

  function follow() {
    if (source) {
      source.close();
    }
    source = new EventSource('/api/dashboard/stream?access_token=' + encodeURIComponent(token));
    source.addEventListener('open', () => setConnection('live', 'live'));
    source.addEventListener('snapshot', (event) => {
      setConnection('live', 'live');
      render(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream (an expired token, most likely): ask again with the header,
        // which says why.
        source.close();
        source = null;
        setConnection('reconnecting…', 'trouble');
        setTimeout(() => { if (token) connect(token); }, 3000);
      } else {
        setConnection('reconnecting…', 'trouble');
      }
    });
  }

  function signOut() {
    if (source) {
      source.close();
      source = null;
    }
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('#board').hidden = true;
    $('#login').hidden = false;
    $('#disconnect').hidden = true;
    setConnection('not connected', 'idle');
  }

  // ---- drawing ------------------------------------------------------------------------------------

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  }

  function formatNumber(n) {
    return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
  }

  function formatAge(seconds) {
    if (seconds === null || seconds === undefined) {
      return '–';
    }
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const secs = seconds % 60;
    if (days > 0) return days + ' d ' + hours + ' h';
    if (hours > 0) return hours + ' h ' + minutes + ' min';
    if (minutes > 0) return minutes + ' min ' + secs + ' s';
    return secs + ' s';
  }

  function formatTime(iso) {
    if (!iso) {
      return '–';
    }
    const date = new Date(iso);
    return date.toLocaleString('sv-SE', { hour12: false }).replace('T', ' ');
  }

  function titleCase(kind) {
    const names = {
      SUBMITTED: 'Application submitted',
      AMENDED: 'Application amended',
      WITHDRAWN: 'Application withdrawn',
      VERDICT: 'Verdict',
      DEADLINE_WARNING: 'Time limit: 80 % used',
      DEADLINE_BREACH: 'Time limit breached',
      TELECOM_REGISTERED: 'Telecom registered (17999)',
      CARDS_ISSUED: 'Cards issued',
    };
    if (names[kind]) {
      return names[kind];
    }
    const words = kind.toLowerCase().split('_').join(' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function fill(name, value, of) {
    const bar = document.querySelector('[data-fill="' + name + '"]');
    if (bar) {
      bar.style.width = (of > 0 ? Math.min(100, (100 * value) / of) : 0) + '%';
    }
  }

  function render(snapshot) {
    const funnel = snapshot.funnel;
    $('[data-test="funnel-submitted"]').textContent = formatNumber(funnel.submitted);
    $('[data-test="funnel-approved-by-all"]').textContent = formatNumber(funnel.approvedByAll);
    $('[data-test="funnel-telecom-registered"]').textContent = formatNumber(funnel.telecomRegistered);
    $('[data-test="funnel-cards-issued"]').textContent = formatNumber(funnel.cardsIssued);
    $('[data-test="funnel-withdrawn"]').textContent = formatNumber(funnel.withdrawn);
    fill('submitted', funnel.submitted, funnel.submitted);
    fill('approved-by-all', funnel.approvedByAll, funnel.submitted);
    fill('telecom-registered', funnel.telecomRegistered, funnel.submitted);
    fill('cards-issued', funnel.cardsIssued, funnel.submitted);
    const stages = $('#funnel-agencies');
    stages.replaceChildren(...funnel.decided.map((stage) => {
      const item = element('li', null, { class: 'stage' });
      const label = element('span', stage.zhName, { class: 'label' });
      const bar = element('span', null, { class: 'bar' });
      const barFill = element('span', null, { class: 'fill' });
      barFill.style.width = (funnel.submitted > 0 ? Math.min(100, (100 * stage.count) / funnel.submitted) : 0) + '%';
      bar.append(barFill);
      item.append(label, bar, element('span', formatNumber(stage.count), { class: 'count', 'data-test': 'funnel-decided-' + stage.agency }));
      return item;
    }));

    const rows = $('#agencies tbody');
    rows.replaceChildren(...snapshot.agencies.map((agency) => {
      const row = element('tr', null, { 'data-agency': agency.agency });
      const name = element('th', agency.zhName, { scope: 'row' });
      name.append(element('span', agency.enName, { class: 'zh' }));
      row.append(name,
        element('td', formatNumber(agency.approved), { class: 'num', 'data-field': 'approved' }),
        element('td', formatNumber(agency.rejected), { class: 'num', 'data-field': 'rejected' }),
        element('td', formatNumber(agency.referred), { class: 'num', 'data-field': 'referred' }),
        element('td', agency.throughputPerMinute.toFixed(1), { class: 'num', 'data-field': 'throughput' }),
        element('td', formatNumber(agency.reviewQueue), { class: 'num', 'data-field': 'review-queue' }),
        element('td', formatNumber(agency.pending), { class: 'num', 'data-field': 'pending' }),
        element('td', formatAge(agency.oldestPendingAgeSeconds), {
          class: 'num' + (agency.oldestPendingAgeSeconds > 3600 ? ' warn' : ''),
          'data-field': 'oldest-pending',
          title: agency.oldestPendingSince ? 'submitted ' + formatTime(agency.oldestPendingSince) : '',
        }));
      return row;
    }));

    const clocks = snapshot.clocks;
    const breaches = clocks.agencies.reduce((sum, clock) => sum + clock.openBreaches, 0);
    $('[data-test="clocks-breaches"]').textContent = formatNumber(breaches);
    $('#clocks tbody').replaceChildren(...clocks.agencies.map((clock) => {
      const row = element('tr', null, { 'data-agency': clock.agency });
      const limitHours = 24 * clock.timeLimitWorkingDays;
      const bar = element('span', null, { class: 'bar' });
      const barFill = element('span', null, { class: 'fill' + (clock.oldestPendingShareOfLimit >= 1 ? ' over'
          : clock.oldestPendingShareOfLimit >= 0.8 ? ' near' : '') });
      barFill.style.width = Math.min(100, 100 * (clock.oldestPendingShareOfLimit || 0)) + '%';
      bar.append(barFill);
      const used = element('td', null, { class: 'clock', 'data-field': 'oldest-pending-clock' });
      used.append(bar, element('span', clock.oldestPendingWorkingHours == null ? 'none pending'
          : clock.oldestPendingWorkingHours.toFixed(1) + ' h of ' + limitHours + ' h', { class: 'quiet' }));
      row.append(element('th', clock.zhName, { scope: 'row' }),
        element('td', clock.timeLimitWorkingDays + ' working days', { class: 'num', 'data-field': 'limit' }),
        used,
        element('td', formatNumber(clock.openWarnings), { class: 'num' + (clock.openWarnings > 0 ? ' warn' : ''), 'data-field': 'warnings' }),
        element('td', formatNumber(clock.openBreaches), { class: 'num' + (clock.openBreaches > 0 ? ' alert-text' : ''), 'data-field': 'breaches' }));
      return row;
    }));
    $('#no-escalations').hidden = clocks.open.length > 0;
    $('#escalations').hidden = clocks.open.length === 0;
    $('#escalations tbody').replaceChildren(...clocks.open.map((open) => {
      const row = element('tr', null, { 'data-level': open.level, 'data-application': open.applicationId });
      row.append(element('td', open.zhName),
        element('td', open.slipNumber, { 'data-field': 'slip' }),
        element('td', open.level === 'BREACH' ? 'Breached 超时' : 'Warning 80 %', { class: open.level === 'BREACH' ? 'alert-text' : 'warn' }),
        element('td', formatTime(open.deadline), { 'data-field': 'deadline' }),
        element('td', open.waitingFor === 'REVIEWER' ? 'a reviewer' : 'the registry and rules'));
      return row;
    }));

    const deadLetters = snapshot.deadLetters;
    $('[data-test="dead-letters-total"]').textContent = formatNumber(deadLetters.total);
    $('#no-dead-letters').hidden = deadLetters.groups.length > 0;
    $('#dead-letters tbody').replaceChildren(...deadLetters.groups.map((group) => {
      const row = element('tr', null, { 'data-group': group.group });
      const reasons = element('ul', null, { class: 'reasons' });
      group.reasons.forEach((r) => reasons.append(element('li', r.count + ' × ' + r.reason)));
      const reasonCell = element('td', null, { 'data-field': 'reasons' });
      reasonCell.append(reasons);
      row.append(element('th', group.group, { scope: 'row' }),
        element('td', formatNumber(group.count), { class: 'num', 'data-field': 'count' }), reasonCell);
      return row;
    }));

    const quarantine = snapshot.quarantine;
    $('[data-test="quarantine-open"]').textContent = formatNumber(quarantine.open);
    $('#no-quarantine').hidden = quarantine.open > 0;
    const alert = $('#quarantine-alert');
    alert.hidden = !quarantine.alert;
    alert.textContent = quarantine.oldest
      ? quarantine.open + ' record(s) quarantined. Oldest: ' + quarantine.oldest.group + ' since '
        + formatTime(quarantine.oldest.since) + (quarantine.oldest.applicationId ? ', application ' + quarantine.oldest.applicationId : '')
        + ': ' + quarantine.oldest.reason + '. Fix the cause, then POST /api/quarantine/replay on that service.'
      : '';
    $('#quarantine tbody').replaceChildren(...quarantine.groups.map((group) => {
      const row = element('tr', null, { 'data-quarantine-group': group.group });
      row.append(element('th', group.group, { scope: 'row' }),
        element('td', formatNumber(group.open), { class: 'num warn', 'data-field': 'open' }));
      return row;
    }));

    const logs = snapshot.decisionLogs;
    const late = logs.services.filter((service) => service.alert).map((service) => service.service);
    const sealsAlert = $('#seals-alert');
    sealsAlert.hidden = !logs.alert;
    sealsAlert.textContent = logs.alert
      ? 'Decision log not sealed for more than ' + formatAge(logs.alertAfterSeconds) + ': ' + late.join(', ')
        + '. Look at that service\'s health (decisionLog) for the cause: its key, its time-stamping authority, or the service itself.'
      : '';
    $('#seals tbody').replaceChildren(...logs.services.map((service) => {
      const row = element('tr', null, { 'data-seal-service': service.service, class: service.alert ? 'warn' : '' });
      row.append(element('th', service.service, { scope: 'row' }),
        element('td', service.sealedAt ? formatNumber(service.seq) : '', { class: 'num', 'data-field': 'seq' }),
        element('td', service.sealedAt ? formatTime(service.sealedAt) : 'no seal seen', { 'data-field': 'sealed-at' }),
        element('td', service.ageSeconds === null ? '' : formatAge(service.ageSeconds), { class: 'num', 'data-field': 'age' }),
        element('td', service.sealedAt ? (service.timestamped ? 'yes' : 'no') : '', { 'data-field': 'timestamped' }));
      return row;
    }));

    const lag = snapshot.consumerLag;
    $('#lag tbody').replaceChildren(...lag.groups.map((group) => {
      const row = element('tr', null, { 'data-lag-group': group.group });
      row.append(element('th', group.group, { scope: 'row' }),
        element('td', group.lag === null && group.problem ? group.state + ' (' + group.problem + ')' : group.state,
          { 'data-field': 'state' }),
        element('td', formatNumber(group.members), { class: 'num' }),
        element('td', formatNumber(group.partitions), { class: 'num' }),
        element('td', formatNumber(group.lag),
          { class: 'num' + (group.lag > 1000 ? ' warn' : ''), 'data-field': 'lag', title: group.problem || '' }));
      return row;
    }));
    $('#lag-read-at').textContent = lag.readAt ? 'Read from the broker at ' + formatTime(lag.readAt) : 'Not read from the broker yet.';
    $('#updated').textContent = 'updated ' + formatTime(snapshot.at);
  }

  // ---- timeline search ----------------------------------------------------------------------------

  async function search(query) {
    const message = $('#search-message');
    message.textContent = 'Searching…';
    $('#timeline').hidden = true;
    let response;
    try {
      response = await fetch('/api/dashboard/timeline?q=' + encodeURIComponent(query),
        { headers: { Authorization: 'Bearer ' + token } });
    } catch (e) {
      message.textContent = 'The dashboard service does not answer.';
      return;
    }
    if (response.status === 404) {
      message.textContent = 'No application with that id or slip number has been seen.';
      return;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      message.textContent = problem.detail || ('The search failed (' + response.status + ').');
      return;
    }
    const timeline = await response.json();
    message.textContent = '';
    $('[data-test="timeline-application"]').textContent = timeline.applicationId;
    $('[data-test="timeline-slip"]').textContent = timeline.slipNumber || '–';
    $('[data-test="timeline-enterprise"]').textContent = timeline.enterprise || '–';
    $('[data-test="timeline-revision"]').textContent = timeline.revision || '–';
    $('#timeline-events tbody').replaceChildren(...timeline.events.map((entry) => {
      const row = element('tr', null, { 'data-kind': entry.kind });
      const reasons = element('ul', null, { class: 'reasons' });
      entry.reasons.forEach((r) => {
        const item = element('li', r.code);
        item.append(element('span', r.zh), element('span', r.en));
        reasons.append(item);
      });
      const reasonCell = element('td', null, { 'data-field': 'reasons' });
      reasonCell.append(reasons);
      row.append(element('td', formatTime(entry.at), { 'data-field': 'time' }),
        element('td', titleCase(entry.kind), { 'data-field': 'event' }),
        element('td', entry.revision === null ? '–' : entry.revision, { class: 'num', 'data-field': 'revision' }),
        element('td', entry.agencyName || '', { 'data-field': 'agency' }),
        element('td', entry.actor, { 'data-field': 'actor' }),
        element('td', entry.outcome || '', { 'data-field': 'outcome', class: entry.outcome ? 'outcome-' + entry.outcome : '' }),
        reasonCell);
      return row;
    }));
    $('#timeline').hidden = false;
  }

  // ---- wiring -------------------------------------------------------------------------------------

  $('#login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const candidate = $('#token').value.trim().replace(/^Bearer\s+/i, '');
    $('#token').value = '';
    if (candidate) {
      connect(candidate);
    }
  });
  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = $('#search').value.trim();
    if (query && token) {
      search(query);
    }
  });
  $('#disconnect').addEventListener('click', signOut);

  const initial = tokenFromFragment() || sessionStorage.getItem(TOKEN_KEY);
  if (initial) {
    connect(initial);
  }
})();
