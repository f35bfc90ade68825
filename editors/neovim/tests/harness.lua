-- A minimal test harness for headless Neovim: named checks, a summary on stdout, and an exit code
-- (`cquit 1`) that CI sees when any check fails.

local H = { failures = 0, passes = 0, pending_checks = {} }

local function write(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

--- Runs one named check; an error (assertion) inside marks it failed and the run continues.
function H.check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    H.passes = H.passes + 1
    write("ok      " .. name)
  else
    H.failures = H.failures + 1
    write("FAILED  " .. name .. "\n        " .. tostring(err):gsub("\n", "\n        "))
  end
end

--- Records a check that cannot run yet because the server lacks a feature (reported, not failed).
function H.pending(name, reason)
  table.insert(H.pending_checks, name)
  write("pending " .. name .. " (" .. reason .. ")")
end

function H.eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(("%s: expected %s, got %s"):format(what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function H.truthy(value, what)
  if not value then
    error((what or "condition") .. " does not hold", 2)
  end
  return value
end

--- Prints the summary and exits Neovim with 1 when a check failed.
function H.finish()
  write(("%d passed, %d failed, %d pending"):format(H.passes, H.failures, #H.pending_checks))
  if H.failures > 0 then
    vim.cmd("cquit 1")
  else
    vim.cmd("qall!")
  end
end

--- Runs `body` and always finishes, even when the body itself errors outside a check.
function H.run(body)
  local ok, err = xpcall(body, debug.traceback)
  if not ok then
    H.failures = H.failures + 1
    write("FAILED  (test script) " .. tostring(err))
  end
  H.finish()
end

return H
