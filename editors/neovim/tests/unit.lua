-- Unit tests of the Neovim plugin that need no server: setup on every start path (the 0.11 one with
-- stubs), root detection, binary lookup, commands, highlight links and the semantic token fallback.

local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
package.path = here .. "/?.lua;" .. package.path
local H = require("harness")

H.run(function()
  local gazette = require("gazette")
  local workspace = vim.fn.tempname()
  vim.fn.mkdir(workspace .. "/corpus/sub", "p")
  vim.fn.writefile({ "" }, workspace .. "/corpus/gazette.toml")
  vim.fn.writefile({ "text" }, workspace .. "/corpus/sub/a.txt")
  vim.fn.writefile({ "text" }, workspace .. "/loose.txt")

  H.check("root detection finds the nearest gazette.toml upwards", function()
    H.eq(gazette.find_root(workspace .. "/corpus/sub/a.txt"), vim.fn.resolve(workspace .. "/corpus"), "root")
    H.eq(gazette.find_root(workspace .. "/loose.txt"), nil, "root outside a corpus")
    H.eq(gazette.find_root(""), nil, "root of an unnamed buffer")
  end)

  H.check("binary lookup: server_path, then PATH; a clear message when nothing is found", function()
    local fake = workspace .. "/gazette"
    vim.fn.writefile({ "#!/bin/sh", "echo gazette 0.0.0" }, fake)
    vim.fn.setfperm(fake, "rwxr-xr-x")
    H.eq(gazette.server_cmd({ server_path = fake }), { fake, "serve" }, "cmd from server_path")
    local cmd, problem = gazette.server_cmd({ server_path = workspace .. "/missing" })
    H.eq(cmd, nil, "cmd for a missing server_path")
    H.truthy(problem:find("no `gazette` binary found", 1, true), "problem mentions the binary: " .. problem)
    H.truthy(problem:find("cargo install", 1, true), "problem says how to install")
    local saved = vim.env.PATH
    vim.env.PATH = workspace .. ":" .. saved
    H.eq(gazette.server_cmd({}), { workspace .. "/gazette", "serve" }, "cmd from PATH")
    vim.env.PATH = saved
    H.eq(gazette.server_cmd({ cmd = { "x", "y" } }), { "x", "y" }, "explicit cmd")
  end)

  H.check("setup defines the commands and links the highlight groups", function()
    gazette.setup({ server_path = workspace .. "/missing" })
    local commands = vim.api.nvim_get_commands({})
    for _, command in ipairs(gazette.commands) do
      H.truthy(commands[command.name], command.name .. " is defined")
    end
    for _, token in ipairs(gazette.token_types) do
      local link = vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(token.group)), "name")
      H.eq(link, vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(token.link)), "name"), token.group .. " link")
    end
    -- A colour scheme change clears links; the ColorScheme autocommand restores them.
    vim.cmd("highlight clear")
    vim.cmd("doautocmd ColorScheme")
    H.truthy(vim.fn.hlexists("GazetteLocality") == 1, "GazetteLocality survives :highlight clear")
  end)

  H.check("the token types match the VS Code extension's contributions", function()
    local manifest_path = here .. "/../../vscode/package.json"
    local manifest = vim.fn.json_decode(table.concat(vim.fn.readfile(manifest_path), "\n"))
    local vscode_types = {}
    for _, entry in ipairs(manifest.contributes.semanticTokenTypes) do
      table.insert(vscode_types, entry.id)
    end
    local nvim_types = {}
    for _, token in ipairs(gazette.token_types) do
      table.insert(nvim_types, token.type)
    end
    H.eq(nvim_types, vscode_types, "token types")
  end)

  H.check("server commands resolve by the advertised names, else report unsupported", function()
    local client = { server_capabilities = { executeCommandProvider = { commands = { "gazette/reindex" } } } }
    H.eq(gazette.resolve_server_command(client, "reindex"), "gazette/reindex", "reindex")
    H.eq(gazette.resolve_server_command(client, "exportAnnotations"), nil, "export")
    H.eq(gazette.resolve_server_command({ server_capabilities = {} }, "reindex"), nil, "no provider")
  end)

  H.check("review commands resolve to the server's gazette.review.* names", function()
    local client = { server_capabilities = { executeCommandProvider = { commands = { "gazette.review.acceptAll", "gazette.review.decide" } } } }
    H.eq(gazette.resolve_server_command(client, "acceptAllSuggestions"), "gazette.review.acceptAll", "accept all")
    H.eq(gazette.resolve_server_command(client, "annotateSelection"), "gazette.review.decide", "annotate")
  end)

  H.check("no client for a buffer outside a corpus, and a missing binary is reported, not raised", function()
    local messages = {}
    local saved_notify = vim.notify
    vim.notify = function(message)
      table.insert(messages, message)
    end
    vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/loose.txt"))
    vim.cmd("setfiletype text")
    H.eq(#gazette.clients(0), 0, "clients outside a corpus")
    H.eq(#messages, 0, "messages outside a corpus")
    vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/corpus/sub/a.txt"))
    vim.cmd("setfiletype text")
    vim.notify = saved_notify
    H.eq(#gazette.clients(0), 0, "clients without a binary")
    H.truthy(messages[1] and messages[1]:find("no `gazette` binary found", 1, true), "missing binary message: " .. vim.inspect(messages))
  end)

  H.check("export without a server runs `gazette export` for the corpus root", function()
    local recorder = workspace .. "/recorder/gazette"
    vim.fn.mkdir(workspace .. "/recorder", "p")
    -- Records the CLI's arguments; started as a server (`serve`, for the open corpus buffer) it just exits.
    vim.fn.writefile({ "#!/bin/sh", '[ "$1" = export ] && printf "%s\\n" "$@" > "$(dirname "$0")/args"', "exit 0" }, recorder)
    vim.fn.setfperm(recorder, "rwxr-xr-x")
    gazette.setup({ server_path = recorder })
    vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/corpus/sub/a.txt"))
    H.truthy(gazette.export("brat", workspace .. "/out"), "export started")
    H.truthy(vim.wait(5000, function()
      return vim.fn.filereadable(workspace .. "/recorder/args") == 1
    end, 20), "the CLI ran")
    H.eq(vim.fn.readfile(workspace .. "/recorder/args"), { "export", vim.fn.resolve(workspace .. "/corpus"), "--format", "brat", "--out", workspace .. "/out" }, "arguments")
  end)

  H.check("Neovim 0.11+ path: vim.lsp.config + vim.lsp.enable, root_dir only inside a corpus", function()
    local saved = { has = gazette._has, config = vim.lsp.config, enable = vim.lsp.enable }
    local declared, enabled = nil, nil
    gazette._has = function()
      return true
    end
    vim.lsp.config = function(name, config)
      declared = { name = name, config = config }
    end
    vim.lsp.enable = function(name)
      enabled = name
    end
    local fake = workspace .. "/gazette"
    local ok, err = pcall(gazette.setup, { server_path = fake, settings = { debounceMs = 7 } })
    gazette._has, vim.lsp.config, vim.lsp.enable = saved.has, saved.config, saved.enable
    H.truthy(ok, tostring(err))
    H.eq(declared.name, "gazette", "declared name")
    H.eq(enabled, "gazette", "enabled name")
    H.eq(declared.config.cmd, { fake, "serve" }, "cmd")
    H.eq(declared.config.filetypes, { "text" }, "filetypes")
    H.eq(declared.config.settings, { gazette = { debounceMs = 7 } }, "settings")
    H.eq(declared.config.init_options, { debounceMs = 7 }, "init_options")
    local roots = {}
    local corpus_buf = vim.fn.bufadd(workspace .. "/corpus/sub/a.txt")
    local loose_buf = vim.fn.bufadd(workspace .. "/loose.txt")
    declared.config.root_dir(corpus_buf, function(root)
      table.insert(roots, root)
    end)
    declared.config.root_dir(loose_buf, function(root)
      table.insert(roots, root)
    end)
    H.eq(roots, { vim.fn.resolve(workspace .. "/corpus") }, "roots")
  end)

  H.check("Neovim 0.8-0.10 path: vim.lsp.start with the corpus root and settings", function()
    local saved_start = vim.lsp.start
    local started = {}
    vim.lsp.start = function(config, options)
      table.insert(started, { config = config, options = options })
      return 42
    end
    gazette.setup({ server_path = workspace .. "/gazette", settings = { logLevel = "debug" } })
    -- setup() starts the server for corpus buffers already open (a.txt, opened above).
    H.eq(#started, 1, "starts for already open corpus buffers")
    started = {}
    local bufnr = vim.fn.bufadd(workspace .. "/corpus/sub/a.txt")
    local ok, result = pcall(gazette.start, bufnr, workspace .. "/corpus")
    vim.lsp.start = saved_start
    H.truthy(ok, tostring(result))
    H.eq(result, 42, "client id")
    H.eq(#started, 1, "one start")
    local config = started[1].config
    H.eq(config.name, "gazette", "name")
    H.eq(config.cmd, { workspace .. "/gazette", "serve" }, "cmd")
    H.eq(config.root_dir, workspace .. "/corpus", "root_dir")
    H.eq(config.workspace_folders, { { uri = vim.uri_from_fname(workspace .. "/corpus"), name = "corpus" } }, "folders")
    H.eq(config.settings, { gazette = { logLevel = "debug" } }, "settings")
    H.eq(started[1].options, { bufnr = bufnr }, "options")
  end)

  H.check("semantic token fallback: decoding and painting in UTF-16 columns", function()
    local semantic = require("gazette.semantic")
    -- Two tokens on line 0 ("Đà Nẵng" at 0, length 7 UTF-16 units; "Daegu" at 12), one on line 2.
    local data = { 0, 0, 7, 0, 0, 0, 12, 5, 0, 0, 2, 3, 4, 1, 0 }
    local tokens = semantic.decode(data, { "locality", "date" })
    H.eq(tokens, {
      { line = 0, start = 0, length = 7, type = "locality" },
      { line = 0, start = 12, length = 5, type = "locality" },
      { line = 2, start = 3, length = 4, type = "date" },
    }, "decoded tokens")
    local bufnr = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { "Đà Nẵng and Daegu", "", "in 2016" })
    semantic.paint(bufnr, tokens, "utf-16")
    local marks = vim.api.nvim_buf_get_extmarks(bufnr, semantic.namespace, 0, -1, { details = true })
    local painted = {}
    for _, mark in ipairs(marks) do
      local line = vim.api.nvim_buf_get_lines(bufnr, mark[2], mark[2] + 1, false)[1]
      table.insert(painted, { line:sub(mark[3] + 1, mark[4].end_col), mark[4].hl_group })
    end
    H.eq(painted, { { "Đà Nẵng", "GazetteLocality" }, { "Daegu", "GazetteLocality" }, { "2016", "GazetteDate" } }, "painted")
  end)

  H.check(":checkhealth gazette runs and reports the missing binary", function()
    gazette.setup({ server_path = workspace .. "/missing" })
    vim.cmd("checkhealth gazette")
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    H.truthy(text:find("gazette: server", 1, true), "health sections: " .. text)
    H.truthy(text:find("no `gazette` binary found", 1, true), "health reports the missing binary: " .. text)
  end)
end)
