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

  // ---- the last hour ------------------------------------------------------------------------------

  const SVG_NS = 'http://www.w3.org/2000/svg';
  // The applications' series in the upper panel, as steps (a count holds for its whole minute): what came
  // in as a shaded area, what went out and the amendments as lines over it. Each agency's verdicts are
  // stacked bars in the lower panel, in the snapshot's order (the first at the bottom).
  const LINES = [
    { series: 'submitted', value: (minute) => minute.submitted, total: (activity) => activity.submitted, area: true },
    { series: 'amended', value: (minute) => minute.amended, total: (activity) => activity.amended, dashed: true },
    { series: 'card-sets', value: (minute) => minute.cardSets, total: (activity) => activity.cardSets },
  ];
  // What the chart was last drawn from: it is drawn again only when a count or the width changed, so a
  // tooltip being read stays while the snapshots arrive.
  let drawnActivity = null;

  function svgElement(tag, attributes, text) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, String(value)));
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function formatMinute(iso) {
    return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
  }

  // An axis from 0 in about four steps of 1, 2 or 5 times a power of ten; counts, so no step below 1.
  function axis(max) {
    const rough = Math.max(1, max / 4);
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map((f) => f * power).find((candidate) => candidate >= rough);
    return { step, top: Math.max(step, Math.ceil(max / step) * step) };
  }

  function describeActivity(activity) {
    return 'Last hour, per minute, ' + formatMinute(activity.from) + ' to ' + formatMinute(activity.to) + ': '
      + formatNumber(activity.submitted) + ' submitted, ' + formatNumber(activity.amended) + ' amended, '
      + formatNumber(activity.cardSets) + ' card sets issued; verdicts: '
      + activity.verdicts.map((agency) => agency.zhName + ' ' + formatNumber(agency.total)).join(', ') + '.';
  }

  function describeMinute(minute, activity) {
    return formatMinute(minute.start) + ': ' + minute.submitted + ' submitted, ' + minute.amended + ' amended, '
      + minute.cardSets + ' card sets issued; verdicts: '
      + activity.verdicts.map((agency) => agency.zhName + ' ' + (minute.verdicts[agency.agency] || 0)).join(', ');
  }

  function renderActivity(activity) {
    LINES.forEach((line) => {
      $('#activity-legend [data-series="' + line.series + '"] [data-field=total]').textContent = formatNumber(line.total(activity));
    });
    const agencies = activity.verdicts.map((agency) => {
      const item = element('li', null, { 'data-series': 'verdicts-' + agency.agency });
      item.append(element('span', null, { class: 'swatch' }), element('span', agency.zhName),
        element('span', formatNumber(agency.total), { class: 'total', 'data-field': 'total' }));
      return item;
    });
    $('#activity-agencies').replaceChildren(element('li', 'Verdicts', { class: 'legend-title' }), ...agencies);

    const container = $('#activity');
    const width = Math.max(480, Math.floor(container.clientWidth || 960));
    const drawing = width + ' ' + JSON.stringify(activity.minutes);
    if (drawing === drawnActivity) {
      container.firstChild.setAttribute('aria-label', describeActivity(activity));
      return;
    }
    drawnActivity = drawing;

    const minutes = activity.minutes;
    const left = 44;
    const right = 8;
    const column = (width - left - right) / minutes.length;
    const bar = Math.max(1, column * 0.72);
    const upper = { top: 24, height: 110 };
    const lower = { top: upper.top + upper.height + 48, height: 150 };
    const bottom = lower.top + lower.height;
    const height = bottom + 22;
    const x = (i) => left + (i + 0.5) * column;
    const svg = svgElement('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': describeActivity(activity) });

    // The current minute, counted so far, shaded behind both panels.
    svg.append(svgElement('rect', { class: 'now', x: left + (minutes.length - 1) * column, y: upper.top,
      width: column, height: bottom - upper.top }));
    // Every ten minutes of local time (every thirty where the columns are narrow): a line through both panels and a label.
    const every = column * 10 >= 40 ? 10 : 30;
    minutes.forEach((minute, i) => {
      if (new Date(minute.start).getMinutes() % every === 0) {
        svg.append(svgElement('line', { class: 'grid', x1: x(i), x2: x(i), y1: upper.top, y2: bottom }));
        if (i < minutes.length - 4) {
          svg.append(svgElement('text', { x: x(i), y: bottom + 15, 'text-anchor': 'middle' }, formatMinute(minute.start)));
        }
      }
    });
    svg.append(svgElement('text', { x: x(minutes.length - 1), y: bottom + 15, 'text-anchor': 'end' }, 'now'));

    function panel(area, max, title, zh) {
      const scale = axis(max);
      const y = (value) => area.top + area.height - (value / scale.top) * area.height;
      for (let value = 0; value <= scale.top; value += scale.step) {
        svg.append(svgElement('line', { class: value === 0 ? 'baseline' : 'grid', x1: left, x2: width - right, y1: y(value), y2: y(value) }));
        svg.append(svgElement('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, formatNumber(value)));
      }
      const heading = svgElement('text', { class: 'panel-title', x: left, y: area.top - 10 }, title + ' ');
      heading.append(svgElement('tspan', { class: 'zh' }, zh));
      svg.append(heading);
      return y;
    }

    const yUpper = panel(upper, Math.max(...minutes.map((m) => Math.max(m.submitted, m.amended, m.cardSets))),
      'Applications per minute', '申请');
    LINES.forEach((line) => {
      let d = 'M' + left + ' ' + yUpper(line.value(minutes[0])).toFixed(1);
      minutes.forEach((minute, i) => {
        d += (i > 0 ? 'V' + yUpper(line.value(minute)).toFixed(1) : '') + 'H' + (left + (i + 1) * column).toFixed(1);
      });
      if (line.area) {
        d = 'M' + left + ' ' + yUpper(0) + 'V' + d.slice(d.indexOf(' ') + 1) + 'V' + yUpper(0) + 'Z';
      }
      svg.append(svgElement('path', { class: 'line' + (line.area ? ' area' : '') + (line.dashed ? ' dashed' : ''), d,
        'data-series': line.series }));
    });

    const sums = minutes.map((minute) => activity.verdicts.reduce((sum, agency) => sum + (minute.verdicts[agency.agency] || 0), 0));
    const yLower = panel(lower, Math.max(...sums), 'Verdicts per minute, by agency', '审查结论');
    const stacked = minutes.map(() => 0);
    activity.verdicts.forEach((agency) => {
      let d = '';
      minutes.forEach((minute, i) => {
        const n = minute.verdicts[agency.agency] || 0;
        if (n > 0) {
          const base = yLower(stacked[i]);
          stacked[i] += n;
          d += 'M' + (x(i) - bar / 2).toFixed(1) + ' ' + yLower(stacked[i]).toFixed(1) + 'h' + bar.toFixed(1)
            + 'V' + base.toFixed(1) + 'h' + (-bar).toFixed(1) + 'Z';
        }
      });
      svg.append(svgElement('path', { class: 'bars', d, 'data-series': 'verdicts-' + agency.agency }));
    });

    // On top, one column a minute for the pointer: its counts as a tooltip.
    minutes.forEach((minute, i) => {
      const hover = svgElement('rect', { class: 'hover', x: left + i * column, y: upper.top, width: column, height: bottom - upper.top });
      hover.append(svgElement('title', null, describeMinute(minute, activity)));
      svg.append(hover);
    });
    container.replaceChildren(svg);
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
    renderActivity(snapshot.activity);
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
    $('#sla tbody').replaceChildren(...clocks.month.map((month) => {
      const row = element('tr', null, { 'data-agency': month.agency });
      const share = element('td', null, { class: 'clock', 'data-field': 'on-time' });
      const bar = element('span', null, { class: 'bar' });
      const barFill = element('span', null, { class: 'fill' + (month.onTimeShare != null && month.onTimeShare < 0.9 ? ' near' : '') });
      barFill.style.width = (month.onTimeShare == null ? 0 : 100 * month.onTimeShare) + '%';
      bar.append(barFill);
      share.append(bar, element('span', month.onTimeShare == null ? 'no decision yet'
          : (100 * month.onTimeShare).toFixed(1) + ' % (' + formatNumber(month.decidedOnTime) + ')', { class: 'quiet' }));
      row.append(element('th', month.zhName, { scope: 'row' }), share,
        element('td', formatNumber(month.decided), { class: 'num', 'data-field': 'decided' }),
        element('td', month.medianWorkingHours == null ? '–' : month.medianWorkingHours.toFixed(1), { class: 'num', 'data-field': 'median' }),
        element('td', month.p90WorkingHours == null ? '–' : month.p90WorkingHours.toFixed(1), { class: 'num', 'data-field': 'p90' }),
        element('td', formatNumber(month.breaches), { class: 'num' + (month.breaches > 0 ? ' alert-text' : ''), 'data-field': 'breaches' }));
      return row;
    }));
    if (clocks.month.length > 0) {
      $('#sla-note').textContent = clocks.month[0].month + ', China Standard Time; timed from publication to the final verdict on the'
          + ' working-day calendar; computed ' + formatTime(clocks.month[0].computedAt) + '. Each agency serves its own report at'
          + ' /api/clock/report (JSON or CSV).';
    }
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

    const cardStateNames = { ACTIVE: 'Active 有效', SUSPENDED: 'Suspended 暂停', CANCELLED: 'Cancelled 注销' };
    $('#card-states tbody').replaceChildren(...snapshot.cards.byState.map((state) => {
      const row = element('tr', null, { 'data-card-state': state.state });
      row.append(element('th', cardStateNames[state.state] || state.state, { scope: 'row' }),
        element('td', formatNumber(state.count), { class: 'num', 'data-field': 'count' }));
      return row;
    }));
    $('#no-suspensions').hidden = snapshot.cards.suspensionsByReason.length > 0;
    $('#suspensions').hidden = snapshot.cards.suspensionsByReason.length === 0;
    $('#suspensions tbody').replaceChildren(...snapshot.cards.suspensionsByReason.map((reason) => {
      const row = element('tr', null, { 'data-suspension-reason': reason.reason });
      row.append(element('th', reason.reason, { scope: 'row' }),
        element('td', formatNumber(reason.count), { class: 'num', 'data-field': 'count' }));
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
