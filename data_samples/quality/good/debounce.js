/**
 * Delay calls to `fn` until `waitMs` milliseconds have passed without another call.
 * Useful for search boxes: the request goes out once the user stops typing.
 * @param {Function} fn the function to call
 * @param {number} waitMs quiet time before calling
 * @returns {Function} the debounced function, with a `cancel()` method
 */
function debounce(fn, waitMs) {
  let timer = null;

  function debounced(...args) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn.apply(this, args);
    }, waitMs);
  }

  debounced.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };

  return debounced;
}

module.exports = { debounce };
