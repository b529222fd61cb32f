// jest-junit's testCasePropertiesFile: the features a test covers, written as JUnit properties.
module.exports = (testResult) => {
  const ancestors = testResult.ancestorTitles.join(' ').toLowerCase();
  return ancestors.includes('cart') ? { feature: 'cart' } : {};
};
