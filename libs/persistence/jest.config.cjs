const { projectsFor, RUN_OPTIONS } = require('../../jest.preset.cjs');

module.exports = { projects: projectsFor(__dirname, 'persistence'), ...RUN_OPTIONS };
