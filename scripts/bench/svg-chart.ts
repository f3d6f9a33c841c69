// A small SVG line chart: resources per stack against the number of SecureFunctions,
// with the marginal-cost line extended to CloudFormation's resource limit.

export interface ResourcePoint {
  readonly n: number;
  readonly resources: number;
}

/** Renders the chart as a standalone SVG document. */
export function resourcesChart(points: ResourcePoint[], marginal: number, fixed: number, limit: number): string {
  const width = 640;
  const height = 360;
  const pad = { left: 56, right: 20, top: 24, bottom: 44 };
  const maxN = Math.ceil((limit - fixed) / marginal) + 2;
  const x = (n: number) => pad.left + (n / maxN) * (width - pad.left - pad.right);
  const y = (r: number) => height - pad.bottom - (r / (limit * 1.1)) * (height - pad.top - pad.bottom);
  const projected = `M ${x(0)} ${y(fixed)} L ${x(maxN)} ${y(fixed + marginal * maxN)}`;
  const measured = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${x(p.n).toFixed(1)} ${y(p.resources).toFixed(1)}`).join(' ');
  const ticksX = [0, 10, 20, 30, Math.floor((limit - fixed) / marginal)].filter((v, i, all) => all.indexOf(v) === i);
  const ticksY = [0, 100, 200, 300, 400, 500];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="14">Resources per stack vs SecureFunctions</text>`,
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="black"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="black"/>`,
    ...ticksX.map((t) => `<text x="${x(t)}" y="${height - pad.bottom + 16}" text-anchor="middle">${t}</text>`),
    ...ticksY.map((t) => `<text x="${pad.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`),
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle">SecureFunctions in the stack</text>`,
    `<line x1="${pad.left}" y1="${y(limit)}" x2="${width - pad.right}" y2="${y(limit)}" stroke="red" stroke-dasharray="6 4"/>`,
    `<text x="${width - pad.right}" y="${y(limit) - 6}" text-anchor="end" fill="red">CloudFormation limit (${limit})</text>`,
    `<path d="${projected}" stroke="gray" stroke-dasharray="3 3" fill="none"/>`,
    `<path d="${measured}" stroke="steelblue" stroke-width="2" fill="none"/>`,
    ...points.map((p) => `<circle cx="${x(p.n).toFixed(1)}" cy="${y(p.resources).toFixed(1)}" r="4" fill="steelblue"><title>${p.n}: ${p.resources}</title></circle>`),
    `<text x="${pad.left + 8}" y="${pad.top + 14}" fill="steelblue">measured (${marginal.toFixed(1)} per function)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
