const { projectsFor, RUN_OPTIONS } = require('../../jest.preset.cjs');

module.exports = { projects: projectsFor(__dirname, 'domain'), ...RUN_OPTIONS };
