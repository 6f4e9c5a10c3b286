const { projectsFor } = require('../../jest.preset.cjs');

module.exports = { projects: projectsFor(__dirname, 'torch-files') };
