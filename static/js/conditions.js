// Show a follow-up question only when the question it depends on, on the same page, has
// the answer it asks for. Without JavaScript every question shows, with a note saying
// when to answer it; answers to hidden questions are ignored when the application is
// submitted, so nothing here decides what is saved.
(function () {
  'use strict'

  function selectedValues (inputs) {
    var values = []
    inputs.forEach(function (input) {
      if (input.type === 'radio' || input.type === 'checkbox') {
        if (input.checked) { values.push(input.value.toLowerCase()) }
      } else if (input.value) {
        values.push(input.value.toLowerCase())
      }
    })
    return values
  }

  document.querySelectorAll('[data-mc-condition-field]').forEach(function (block) {
    var inputs = document.querySelectorAll('[name="' + block.dataset.mcConditionField + '"]')
    if (!inputs.length) { return }
    var wanted = (block.dataset.mcConditionValue || '').toLowerCase()
    var note = block.querySelector('.mc-condition-note')
    if (note) { note.hidden = true }
    function update () {
      block.hidden = selectedValues(inputs).indexOf(wanted) === -1
    }
    inputs.forEach(function (input) { input.addEventListener('change', update) })
    update()
  })
})()
