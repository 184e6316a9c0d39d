// The report as a mail: HTML that common mail clients render (tables and inline CSS only: a
// bar chart of response attainment per priority and the error budget's bar; no scripts, no
// images, links only to the portal), a text part with the same figures, and the month's
// tickets as a CSV attachment.
import { inWords } from '../../domain/duration';
import { uptimeInFigures } from '../../domain/uptime';
import { formatReportTime, monthName } from '../../domain/zone';
import { escapeHtml } from './mail';
import type { MonthlyReport, TicketRow } from './reports';

const GREEN = '#2e7d32';
const RED = '#c62828';
const GREY = '#e0e0e0';
// Secondary text: 7:1 on white (WCAG AA asks 4.5:1; #777 was 4.48:1).
const MUTED = '#595959';

/**
 * A list of things as a table with column headings, in columns of fixed shares that a phone
 * shows as well as a desktop: words wrap between words, and only a run without spaces longer
 * than its column (a pasted URL) is broken.
 */
function dataTable(headings: [label: string, width: string][], rows: string[][]): string {
  const head = headings
    .map(
      ([label, width]) => `<th scope="col" style="padding:4px;text-align:left;width:${width}">${label}</th>`,
    )
    .join('');
  const cell = (html: string) =>
    `<td style="padding:4px;vertical-align:top;overflow-wrap:anywhere;border-top:1px solid ${GREY}">${html}</td>`;
  return (
    `<table cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse;table-layout:fixed;margin-top:8px">` +
    `<thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A table that takes the reader's width, and its cells, which wrap rather than widen it. */
const table = (rows: string, style = '') =>
  `<table role="presentation" cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse${style}">${rows}</table>`;
const td = (content: string, style = '') =>
  `<td style="padding:2px 4px;overflow-wrap:break-word${style}">${content}</td>`;

/** A bar at most 300 px wide, `percent` of it in `colour` and the rest grey. */
function barOf(percent: number, colour: string, height: number): string {
  const fill = Math.max(0, Math.min(100, percent));
  return (
    `<table role="presentation" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;max-width:300px"><tr>` +
    (fill > 0 ? `<td style="background:${colour};height:${height}px;width:${fill}%"></td>` : '') +
    (fill < 100 ? `<td style="background:${GREY};height:${height}px"></td>` : '') +
    `</tr></table>`
  );
}

/** A priority's attainment: its bar and its figure. */
function attainmentCells(percent: number | null, colour: string): string {
  if (percent === null) return td('no tickets with a target', `;color:${MUTED}`);
  return td(barOf(percent, colour, 14), ';width:55%') + td(`${percent.toFixed(1)} %`);
}

const seconds = (s: number) => inWords(s * 1000, { seconds: true });

/** A time of the report (ISO), as the plan's zone reads it: `Tue 10 Nov 11:00 CET`. */
const localTime = (report: MonthlyReport, at: string) => formatReportTime(Date.parse(at), report.timeZone);

/** "40 s of 26 s allowed downtime used (154 %), over by 14 s." or "no uptime target: 40 s of downtime." */
function budgetInWords(report: MonthlyReport): string {
  const { uptime } = report;
  const b = uptime.budget;
  if (!b) return `No uptime target: ${seconds(uptime.downtimeSeconds)} of downtime.`;
  const share = b.usedPercent === null ? '' : ` (${b.usedPercent} %)`;
  const rest = b.over
    ? `over by ${seconds(b.usedSeconds - b.allowedSeconds)}`
    : `${seconds(b.leftSeconds)} left`;
  return `Error budget for the ${uptime.targetPercent} % target: ${seconds(b.usedSeconds)} of ${seconds(b.allowedSeconds)} allowed downtime used${share}, ${rest}.`;
}

/** "Service credit: 10 % of the monthly fee." where the plan has tiers, else null. */
function creditInWords(report: MonthlyReport): string | null {
  const { uptime } = report;
  if (!uptime.hasServiceCredits) return null;
  return uptime.serviceCreditPercent
    ? `Service credit: ${uptime.serviceCreditPercent} % of the monthly fee.`
    : 'No service credit is due.';
}

/** "api, Tue 10 Nov 11:00 CET, 40 s, unplanned" for each incident of the month. */
function incidentLines(report: MonthlyReport): string[] {
  return report.uptime.incidents.map(
    (i) =>
      `${i.component}, ${localTime(report, i.startedAt)}, ${seconds(i.secondsInMonth)}, ` +
      `${i.planned ? 'planned' : 'unplanned'}${i.counted ? '' : ' (not counted: planned maintenance is excluded)'}`,
  );
}

/** The uptime, and the error budget as a bar on which 100 % is all the allowed downtime. */
function budget(report: MonthlyReport): string {
  const { uptime } = report;
  const b = uptime.budget;
  const colour = b?.over ? RED : GREEN;
  // A zero allowance (a 100 % target) has no share: any downtime spends all of it.
  const bar = b ? barOf(b.usedPercent ?? (b.usedSeconds > 0 ? 100 : 0), colour, 10) : '';
  const credit = creditInWords(report);
  const incidents = report.uptime.incidents.length
    ? dataTable(
        [
          ['Component', '30%'],
          ['Started', '34%'],
          ['Down', '14%'],
          ['Kind', '22%'],
        ],
        report.uptime.incidents.map((i) => [
          escapeHtml(i.component),
          escapeHtml(localTime(report, i.startedAt)),
          seconds(i.secondsInMonth),
          `${i.planned ? 'planned' : 'unplanned'}${i.counted ? '' : ', not counted'}`,
        ]),
      )
    : `<p style="margin:8px 0 0">No incidents this month.</p>`;
  return (
    `<p style="font-size:28px;margin:8px 0;color:${colour}">${uptimeInFigures(uptime.percent, uptime.targetPercent)} %</p>` +
    `<p style="margin:0 0 4px">${escapeHtml(budgetInWords(report))}</p>${bar}` +
    (credit ? `<p style="margin:8px 0 0">${escapeHtml(credit)}</p>` : '') +
    incidents
  );
}

const FORMULA_START = /^[\p{Cc}\p{Cf}\p{Z}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote every cell; double quotes inside; a cell whose first visible character is = + - @
  // (or their full-width forms) cannot start a spreadsheet formula: spreadsheets skip leading
  // control, zero-width and space characters, so the check does too.
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function ticketsCsv(rows: readonly TicketRow[]): string {
  const header = [
    'id',
    'createdAt',
    'priority',
    'channel',
    'category',
    'component',
    'device',
    'status',
    'response',
    'firstResponseBusiness',
    'updateBreaches',
    'resolution',
    'subject',
  ];
  const lines = rows.map((r) =>
    [
      r.id,
      r.createdAt,
      r.priority,
      r.channel,
      r.category,
      r.component,
      r.device,
      r.status,
      r.response,
      r.firstResponseBusiness,
      r.updateBreaches,
      r.resolution,
      r.subject,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/** "Support hours: 10 h included this year, 2 h 30 min used this month (7 h 45 min in all), 2 h 15 min left." */
function bankInWords(report: MonthlyReport): string | null {
  const bank = report.time.bank;
  if (!bank) return null;
  const hm = (minutes: number) => inWords(minutes * 60_000);
  const period = bank.per === 'year' ? 'this year' : 'this month';
  const inAll = bank.per === 'year' ? ` (${hm(bank.usedBeforeMinutes + bank.usedMinutes)} in all)` : '';
  const beyond = bank.beyondMinutes ? `; ${hm(bank.beyondMinutes)} beyond it, charged at the tariff` : '';
  return `Support hours: ${hm(bank.includedMinutes)} included ${period}, ${hm(bank.usedMinutes)} used this month${inAll}, ${hm(bank.remainingMinutes)} left${beyond}.`;
}

/** The learning suggestions as sentences (plans that offer them), or null. */
function suggestionLines(report: MonthlyReport): string[] | null {
  if (!report.learning) return null;
  const lines = report.learning.suggestions.map((s) => s.text);
  return lines.length
    ? lines
    : ['No category, component or device had more than one ticket this month: nothing stands out.'];
}

type PriorityFigures = MonthlyReport['priorities'][string];

const percentOrNone = (p: number | null) => (p === null ? 'no tickets with a target' : `${p} %`);
const ms = (v: number | null) => (v === null ? '–' : inWords(v));
const attainment = (p: number | null) => (p === null ? '–' : `${p} %`);

/** A priority's figures in words, for the text part. */
function priorityLine(priority: string, f: PriorityFigures): string {
  const parts = [
    `${f.tickets} ticket${f.tickets === 1 ? '' : 's'}`,
    `first response ${withinWords(f.response.target)}: met ${f.response.met}, breached ${f.response.breached}` +
      (f.response.pending ? `, pending ${f.response.pending}` : '') +
      `; median ${ms(f.firstResponse.medianMs)}, p90 ${ms(f.firstResponse.p90Ms)} of business time`,
    f.update
      ? `status updates ${everyWords(f.update.target)}: on time in ${f.update.ticketsOnTime} of ${f.update.tickets} answered`
      : 'no status-update clock',
    f.resolution
      ? `resolution ${withinWords(f.resolution.target)}: met ${f.resolution.met}, breached ${f.resolution.breached}`
      : 'no resolution clock',
  ];
  return `${priority} ${f.name}: ${parts.join('; ')}.`;
}

/** "within 4 business hours", but "on a best-effort basis" and "when the work is done" as they are. */
const withinWords = (target: string) => (/^(on a|when) /.test(target) ? target : `within ${target}`);
const everyWords = (target: string) => (/^(on a|when) /.test(target) ? target : `every ${target}`);
const within = (target: string) => escapeHtml(withinWords(target));

/** Each priority as a block of label and figure (a row each), which a phone shows as well as a desktop. */
function priorityTable(report: MonthlyReport): string {
  const row = (label: string, value: string) =>
    `<tr><td style="padding:1px 4px 1px 16px;width:45%;color:#555;vertical-align:top">${label}</td>` +
    `<td style="padding:1px 4px;overflow-wrap:break-word;vertical-align:top">${value}</td></tr>`;
  const blocks = Object.entries(report.priorities).map(
    ([p, f]) =>
      `<tr><td colspan="2" style="padding:8px 4px 2px"><b>${p} ${escapeHtml(f.name)}</b>, ${f.tickets} ticket${f.tickets === 1 ? '' : 's'}</td></tr>` +
      row(
        `First response ${within(f.response.target)}`,
        `met ${f.response.met}, breached ${f.response.breached} (${attainment(f.response.attainmentPercent)})`,
      ) +
      row('Median / p90 first response', `${ms(f.firstResponse.medianMs)} / ${ms(f.firstResponse.p90Ms)}`) +
      row(
        'Status updates on time',
        f.update
          ? `${f.update.ticketsOnTime} of ${f.update.tickets} answered (${attainment(f.update.attainmentPercent)}), ${escapeHtml(everyWords(f.update.target))}`
          : 'no status-update clock',
      ) +
      row(
        'Resolution',
        f.resolution
          ? `met ${f.resolution.met}, breached ${f.resolution.breached}, ${within(f.resolution.target)}`
          : 'no resolution clock',
      ),
  );
  return table(blocks.join(''));
}

type Headline = MonthlyReport['trend'][number];

/** The trend's rows: how to print a figure, and whether more of it is better (null: neither). */
const TREND_ROWS: [
  label: string,
  of: (h: Headline) => number | null,
  show: (v: number) => string,
  more: boolean | null,
][] = [
  ['Uptime', (h) => h.uptimePercent, (v) => `${uptimeInFigures(v, null)} %`, true],
  ['Tickets', (h) => h.tickets, String, null],
  ['First responses in time', (h) => h.responseAttainmentPercent, (v) => `${v} %`, true],
  ['Deadlines missed', (h) => h.breaches, String, false],
  ['Median first response', (h) => h.medianFirstResponseMs, (v) => inWords(v), false],
];

/** ▲ or ▼ against the month before, green where that is better, red where worse. */
function arrow(
  now: number | null,
  before: number | null,
  more: boolean | null,
): { html: string; word: string } {
  if (now === null || before === null || now === before) return { html: '', word: '' };
  const up = now > before;
  const better = more === null ? null : up === more;
  const colour = better === null ? '#555' : better ? GREEN : RED;
  const word = better === null ? (up ? 'up' : 'down') : better ? 'better' : 'worse';
  return { html: ` <span style="color:${colour}">${up ? '▲' : '▼'}</span>`, word: ` (${word})` };
}

const shortMonth = (month: string) => monthName(month).slice(0, 3);

function trendTable(report: MonthlyReport): string {
  const head = `<tr><td></td>${report.trend.map((h) => `<th style="padding:2px 4px;text-align:right">${shortMonth(h.month)}</th>`).join('')}</tr>`;
  const rows = TREND_ROWS.map(([label, of, show, more]) => {
    const values = report.trend.map(of);
    const last = values.length - 1;
    return (
      `<tr>${td(label)}` +
      values
        .map((v, i) =>
          td(
            (v === null ? '–' : show(v)) + (i === last ? arrow(v, values[i - 1] ?? null, more).html : ''),
            ';text-align:right',
          ),
        )
        .join('') +
      `</tr>`
    );
  }).join('');
  return table(head + rows);
}

/** "Uptime: 99.990 % → – → 99.995 % → 99.998 % (better)" for each figure. */
function trendLines(report: MonthlyReport): string[] {
  return TREND_ROWS.map(([label, of, show, more]) => {
    const values = report.trend.map(of);
    const n = values.length;
    return `${label}: ${values.map((v) => (v === null ? '–' : show(v))).join(' → ')}${arrow(values[n - 1]!, values[n - 2] ?? null, more).word}`;
  });
}

const CLOCK_WORDS = {
  response: 'first response',
  update: 'status update',
  resolution: 'resolution',
} as const;

/** How late a missed deadline ran, in business time (a missed update has no figure). */
const lateness = (b: MonthlyReport['breaches'][number]) => inWords((b.lateBusinessSeconds ?? 0) * 1000);

/** "TKT-…, P1 first response, due Mon 2 Nov 09:30 CET, 3 h 20 min of business time late: Screens black". */
function breachLines(report: MonthlyReport): string[] {
  const lines = report.breaches.map((b) => {
    const late = b.lateBusinessSeconds === null ? 'missed' : `${lateness(b)} of business time late`;
    return `${b.ticketId}, ${b.priority} ${CLOCK_WORDS[b.clock]}, due ${localTime(report, b.dueAt)}, ${late}: ${b.subject}`;
  });
  return report.breachesNotListed ? [...lines, `and ${report.breachesNotListed} more`] : lines;
}

/** The missed deadlines: the ticket (its link, then its subject), the deadline (which clock, due when), how late. */
function breachTable(report: MonthlyReport): string {
  if (!report.breaches.length) return '<p>No deadline was missed this month.</p>';
  const more = report.breachesNotListed
    ? `<p>and ${report.breachesNotListed} more (all in the CSV).</p>`
    : '';
  return (
    dataTable(
      [
        ['Ticket', '44%'],
        ['Deadline', '36%'],
        ['Late by', '20%'],
      ],
      report.breaches.map((b) => [
        `<a href="${escapeHtml(b.url)}">${escapeHtml(b.ticketId)}</a><br><span>${escapeHtml(b.subject)}</span>`,
        `${b.priority} ${CLOCK_WORDS[b.clock]}, due ${escapeHtml(localTime(report, b.dueAt))}`,
        b.lateBusinessSeconds === null ? 'missed' : `${lateness(b)} late`,
      ]),
    ) + more
  );
}

/** "Median first response 3 h 20 min of business time, 90th percentile 5 h." */
function firstResponseInWords(report: MonthlyReport): string {
  const { medianMs, p90Ms } = report.firstResponse;
  if (medianMs === null || p90Ms === null) return 'No first responses yet.';
  return `Median first response ${inWords(medianMs)} of business time, 90th percentile ${inWords(p90Ms)}.`;
}

/**
 * "The clocks count business hours: Mon-Fri 08:00-18:00 (Europe/Stockholm, SE public holidays)",
 * the priorities named where they count in hours of their own; null for a report made before.
 */
function hoursInWords(report: MonthlyReport): string | null {
  const hours = (report as Partial<MonthlyReport>).businessHours;
  if (!hours?.length) return null;
  const [only] = hours;
  if (hours.length === 1) return `The clocks count business hours: ${only!.hours}.`;
  return `The clocks count business hours: ${hours.map((h) => `${h.priorities.join(', ')} ${h.hours}`).join('; ')}.`;
}

export function renderReportMail(report: MonthlyReport, rows: readonly TicketRow[]) {
  const month = monthName(report.month);
  const r = report.clocks.response;
  const priorities = Object.entries(r.byPriority)
    .map(
      ([p, t]) =>
        `<tr>${td(p)}${attainmentCells(t.attainmentPercent, t.attainmentPercent !== null && t.attainmentPercent < 100 ? RED : GREEN)}</tr>`,
    )
    .join('');
  const money = `${report.time.amount.toFixed(2)} ${report.time.currency}`;
  const extra = report.devices.extra.length;
  const bank = bankInWords(report);
  const suggestions = suggestionLines(report);
  const credit = creditInWords(report);
  const hours = hoursInWords(report);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(report.customerName)}: support report for ${month}</title></head>` +
    `<body style="margin:0;font-family:Arial,sans-serif;color:#222">` +
    `<main style="display:block;max-width:600px;padding:8px;font-size:14px;line-height:1.35">` +
    `<h1 style="font-size:20px">${escapeHtml(report.customerName)}: support report for ${month}</h1>` +
    `<p>${escapeHtml(report.planName)}</p>` +
    (hours ? `<p>${escapeHtml(hours)}</p>` : '') +
    `<h2 style="font-size:16px">Platform uptime</h2>${budget(report)}` +
    `<h2 style="font-size:16px">First responses in time, by priority</h2>` +
    table(priorities) +
    `<p>${report.tickets.total} tickets; responses met ${r.met}, breached ${r.breached}, pending ${r.pending}; ` +
    `status-update breaches ${report.clocks.update.breaches}; ${firstResponseInWords(report)}</p>` +
    `<h2 style="font-size:16px">The last four months</h2>${trendTable(report)}` +
    `<h2 style="font-size:16px">By priority</h2>${priorityTable(report)}` +
    `<h2 style="font-size:16px">Deadlines missed</h2>${breachTable(report)}` +
    `<h2 style="font-size:16px">Time and devices</h2>` +
    `<p>Time logged ${report.time.loggedMinutes} min, billed ${report.time.billedMinutes} min in 15-minute increments: ` +
    `${report.time.chargeableMinutes} min chargeable (${money}), ${report.time.freeMinutes} min free.</p>` +
    (bank ? `<p>${escapeHtml(bank)}</p>` : '') +
    `<p>Devices: ${report.devices.registered} registered, ${report.devices.included ?? 'unlimited'} included, ${extra} billed as extra.</p>` +
    (suggestions
      ? `<h2 style="font-size:16px">Where tickets could be prevented</h2><ul>${suggestions.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
      : '') +
    `<p style="color:${MUTED}">The tickets of the month are attached as CSV.</p></main></body></html>`;
  const text = [
    `${report.customerName}: support report for ${month} (${report.planName})`,
    ...(hours ? [hours] : []),
    '',
    `Uptime: ${uptimeInFigures(report.uptime.percent, report.uptime.targetPercent)} %. ${budgetInWords(report)}`,
    ...(credit ? [credit] : []),
    ...(report.uptime.incidents.length
      ? ['Incidents:', ...incidentLines(report).map((l) => `  ${l}`)]
      : ['No incidents this month.']),
    `Tickets: ${report.tickets.total} (${Object.entries(report.tickets.byPriority)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ')}).`,
    `First responses in time: ${percentOrNone(r.attainmentPercent)} (met ${r.met}, breached ${r.breached}, pending ${r.pending}).`,
    ...Object.entries(r.byPriority).map(([p, t]) => `  ${p}: ${percentOrNone(t.attainmentPercent)}`),
    `Status-update breaches: ${report.clocks.update.breaches}. ${firstResponseInWords(report)}`,
    `The last four months (${report.trend.map((h) => shortMonth(h.month)).join(', ')}):`,
    ...trendLines(report).map((l) => `  ${l}`),
    'By priority:',
    ...Object.entries(report.priorities).map(([p, f]) => `  ${priorityLine(p, f)}`),
    ...(report.breaches.length
      ? ['Deadlines missed:', ...breachLines(report).map((l) => `  ${l}`)]
      : ['No deadline was missed this month.']),
    `Time: ${report.time.loggedMinutes} min logged, ${report.time.chargeableMinutes} min chargeable (${money}), ${report.time.freeMinutes} min free.`,
    ...(bank ? [bank] : []),
    `Devices: ${report.devices.registered} registered, ${report.devices.included ?? 'unlimited'} included, ${extra} extra.`,
    ...(suggestions ? ['', 'Where tickets could be prevented:', ...suggestions.map((s) => `- ${s}`)] : []),
  ].join('\n');
  return {
    subject: `Support report ${month}: ${report.customerName}`.replace(/[\r\n]+/g, ' '),
    text,
    html,
    attachments: [
      {
        filename: `tickets-${report.month}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: ticketsCsv(rows),
      },
    ],
  };
}
