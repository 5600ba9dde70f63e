// Builders of Grafana panels: every query takes the dashboard's data
// source variable and the instance and namespace variables.
{
  // The selector of every query: the mixin's job selector, the chosen
  // instances and namespaces.
  sel(c, extra=''):: '%s,instance=~"$instance",netns=~"$netns"%s' % [
    c.selector, if extra == '' then '' else ',' + extra,
  ],

  local datasource = { type: 'prometheus', uid: '${datasource}' },
  local target(expr, legend='', i=0) = {
    datasource: datasource,
    expr: expr,
    legendFormat: legend,
    refId: std.char(std.codepoint('A') + i),
  },
  local targets(exprs) = [
    target(exprs[i][0], exprs[i][1], i)
    for i in std.range(0, std.length(exprs) - 1)
  ],
  local base(type, title, pos, description) = {
    type: type,
    title: title,
    gridPos: { x: pos[0], y: pos[1], w: pos[2], h: pos[3] },
    datasource: datasource,
    [if description != '' then 'description']: description,
  },

  row(title, y):: {
    type: 'row',
    title: title,
    collapsed: false,
    gridPos: { x: 0, y: y, w: 24, h: 1 },
    panels: [],
  },

  stat(title, expr, pos, description='', unit=''):: base('stat', title, pos, description) {
    targets: targets([[expr, '']]),
    fieldConfig: { defaults: { [if unit != '' then 'unit']: unit }, overrides: [] },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area' },
  },

  // `exprs`: [[expression, legend], ...]
  timeseries(title, exprs, pos, description='', unit=''):: base('timeseries', title, pos, description) {
    targets: targets(exprs),
    fieldConfig: { defaults: { [if unit != '' then 'unit']: unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
  },

  table(title, expr, pos, description=''):: base('table', title, pos, description) {
    targets: [target(expr) { format: 'table', instant: true }],
    transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } }],
    options: { showHeader: true },
  },
}
